import Foundation
import NATS
import NATSCore
import NIOCore
import NIOFoundationCompat

/// Restores verified stream backups through the JetStream restore API. Everything is checked before the server is
/// touched: the backups (``BackupVerification``), then that no target stream exists (unless `force`, which
/// deletes it first). Streams restored under their own names are then the streams the monitor's snapshots were
/// taken of: their snapshots are rebound to them (``MonitorSnapshotRebinding``).
public struct StreamRestore: Sendable {
    public struct Progress: Sendable {
        public var stream: String
        public var bytes: Int64
        public var total: Int64
    }

    public let jetStream: JetStream
    public let force: Bool
    public let chunkSize: Int
    /// The monitor's KV bucket, whose snapshots of restored streams are rebound (``MonitorSnapshotRebinding``).
    public let bucket: String

    public init(jetStream: JetStream, force: Bool = false, chunkSize: Int = 256 << 10, bucket: String = "CIM_MONITOR") {
        self.jetStream = jetStream
        self.force = force
        self.chunkSize = chunkSize
        self.bucket = bucket
    }

    /// Restores every stream backup under `path` (already verified by the caller or here), under `name` when
    /// given (one stream only). Returns the restored streams' info.
    public func restore(_ path: String, as name: String? = nil, progress: (Progress) -> Void = { _ in }) async throws -> [StreamInfo] {
        let backups = try BackupVerification.verify(path)
        if name != nil, backups.count != 1 {
            throw BackupError("--as needs a backup of one stream; \(path) holds \(backups.count): give one stream's directory")
        }
        let existing = Set(try await jetStream.streamNames())
        for backup in backups {
            let target = name ?? backup.manifest.stream
            if existing.contains(target), !force {
                throw BackupError("stream \(target) exists: restore with --force to replace it, or with --as NAME under another name")
            }
        }
        var restored: [StreamInfo] = []
        for backup in backups {
            let target = name ?? backup.manifest.stream
            if existing.contains(target) { try await jetStream.deleteStream(target) }
            restored.append(try await restoreOne(backup, as: target, progress: progress))
        }
        if name == nil {
            var identities: [String: (old: String, new: String)] = [:]
            for (backup, info) in zip(backups, restored) {
                if let old = backup.manifest.streamCreated { identities[info.config.name] = (old, info.created) }
            }
            try await MonitorSnapshotRebinding(jetStream: jetStream, bucket: bucket).rebind(identities)
        }
        return restored
    }

    private func restoreOne(_ backup: BackupVerification.Stream, as target: String, progress: (Progress) -> Void) async throws -> StreamInfo {
        let streamFile = backup.directory.appendingPathComponent(BackupFiles.stream)
        guard let data = FileManager.default.contents(atPath: streamFile.path),
            var object = try JSONSerialization.jsonObject(with: data) as? [String: Any], var config = object["config"] as? [String: Any]
        else { throw BackupError("damaged backup in \(backup.directory.path): \(BackupFiles.stream) is not a stream config") }
        config["name"] = target
        object["config"] = config
        let request = ByteBuffer(data: try JSONSerialization.data(withJSONObject: object))
        guard let dataFile = BackupFiles.data(in: backup.manifest.files) else {
            throw BackupError("damaged backup in \(backup.directory.path): the manifest lists no snapshot data")
        }
        let handle = try FileHandle(forReadingFrom: backup.directory.appendingPathComponent(dataFile.name))
        defer { try? handle.close() }
        let total = dataFile.size
        var sent: Int64 = 0
        let size = chunkSize
        let stream = backup.manifest.stream
        return try await jetStream.restore(stream: target, request: request, finishTimeout: max(60, Double(total) / 20_000_000)) {
            guard let piece = try handle.read(upToCount: size), !piece.isEmpty else { return nil }
            sent += Int64(piece.count)
            progress(Progress(stream: stream, bytes: sent, total: total))
            return ByteBuffer(data: piece)
        }
    }
}
