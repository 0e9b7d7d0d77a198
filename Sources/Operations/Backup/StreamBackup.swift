import CIMEvents
import Crypto
import Foundation
import NATS
import NATSCore
import NIOCore
import NIOFoundationCompat

/// Backs streams up through the JetStream snapshot API into `<directory>/<stream>/`: `backup.json` (config and
/// state), `stream.arc.s2` or `stream.tar.s2` (the snapshot data as the server sends it, consumers' state included;
/// named by ``SnapshotArchiveKind``),
/// `consumers.json` (every consumer's info) and, written last, `manifest.json` (sizes and SHA-256 of each file,
/// server version, time).
public struct StreamBackup: Sendable {
    public struct Progress: Sendable {
        public var stream: String
        public var bytes: Int64
        /// The stream's size on the server (the snapshot is compressed, so usually smaller).
        public var streamBytes: UInt64
    }

    public let jetStream: JetStream
    public let directory: URL

    public init(jetStream: JetStream, directory: URL) {
        self.jetStream = jetStream
        self.directory = directory
    }

    /// Backs up one stream and returns its manifest. An existing backup of the stream in `directory` is refused.
    @discardableResult
    public func backup(_ stream: String, progress: (Progress) -> Void = { _ in }) async throws -> BackupManifest {
        guard !stream.contains("/"), !stream.hasPrefix(".") else { throw BackupError("stream name \(stream) cannot be a directory name") }
        let info: StreamInfo
        do {
            info = try await jetStream.streamInfo(stream)
        } catch let error as JetStreamError where error == .streamNotFound {
            throw BackupError("stream \(stream) not found: list the streams with `cim-monitor stream ls`")
        }
        guard info.config.storage == "file" else {
            throw BackupError("stream \(stream) keeps its messages in memory: JetStream snapshots only file streams")
        }
        let target = directory.appendingPathComponent(stream)
        if FileManager.default.fileExists(atPath: target.path) {
            throw BackupError("\(target.path) exists: back up into a new directory")
        }
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let consumers = try await jetStream.consumers(stream: stream).sorted { $0.name < $1.name }

        // Written under the tar name, renamed once the first bytes show which archive the server sent.
        let dataURL = target.appendingPathComponent(BackupFiles.tarData)
        var head: [UInt8] = []
        guard FileManager.default.createFile(atPath: dataURL.path, contents: nil), let handle = try? FileHandle(forWritingTo: dataURL) else {
            throw BackupError("cannot write \(dataURL.path)")
        }
        var hasher = SHA256()
        var written: Int64 = 0
        let reply: ByteBuffer
        do {
            reply = try await jetStream.snapshot(stream: stream) { chunk in
                let data = Data(buffer: chunk, byteTransferStrategy: .noCopy)
                if head.count < SnapshotArchiveKind.headLength {
                    head.append(contentsOf: chunk.readableBytesView.prefix(SnapshotArchiveKind.headLength - head.count))
                }
                try handle.write(contentsOf: data)
                hasher.update(data: data)
                written += Int64(chunk.readableBytes)
                progress(Progress(stream: stream, bytes: written, streamBytes: info.state.bytes))
            }
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        let dataName = SnapshotArchiveKind(head: head) == .natsArchive ? BackupFiles.archiveData : BackupFiles.tarData
        if dataName != BackupFiles.tarData { try FileManager.default.moveItem(at: dataURL, to: target.appendingPathComponent(dataName)) }
        var files = [BackupManifest.File(name: dataName, size: written, sha256: BackupVerification.hex(hasher.finalize()))]

        // backup.json: the reply's config and state, unchanged.
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: reply)) as? [String: Any], let config = object["config"],
            let state = object["state"]
        else { throw BackupError("the snapshot reply for \(stream) lacks its config or state") }
        files.append(try write(["config": config, "state": state], to: target.appendingPathComponent(BackupFiles.stream)))
        let consumerObjects = consumers.compactMap { try? JSONSerialization.jsonObject(with: Self.encoder.encode($0)) }
        files.append(try write(consumerObjects, to: target.appendingPathComponent(BackupFiles.consumers)))

        let server = jetStream.client.serverInfo
        let manifest = BackupManifest(
            stream: stream,
            streamCreated: info.created,
            created: RFC3339.format(seconds: Date().timeIntervalSince1970),
            serverVersion: server?.version ?? "unknown",
            serverName: server?.serverName,
            messages: info.state.messages,
            bytes: info.state.bytes,
            firstSeq: info.state.firstSeq,
            lastSeq: info.state.lastSeq,
            consumers: consumers.map(\.name),
            files: files.sorted { $0.name < $1.name }
        )
        let encoded = try Self.encoder.encode(manifest)
        let temporary = target.appendingPathComponent(BackupFiles.manifest + ".partial")
        try encoded.write(to: temporary)
        try FileManager.default.moveItem(at: temporary, to: target.appendingPathComponent(BackupFiles.manifest))
        return manifest
    }

    private func write(_ object: Any, to url: URL) throws -> BackupManifest.File {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try data.write(to: url)
        return BackupManifest.File(name: url.lastPathComponent, size: Int64(data.count), sha256: BackupVerification.hex(SHA256.hash(data: data)))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
