import Foundation
import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Operations
import Testing

/// The backup and restore drills (issue 15) with the built `cim-monitor` against a real nats-server: the round trip is
/// byte-identical, consumers come back with their ack floors, and damaged backups or an existing stream are refused
/// with one line before anything changes on the server.
@Suite(.timeLimit(.minutes(3)))
struct BackupDrillTests {
    /// A stored message, everything the round trip must keep.
    struct Stored: Equatable, CustomStringConvertible {
        var sequence: UInt64
        var subject: String
        var headers: [String]
        var data: [UInt8]
        var time: String

        var description: String { "\(sequence) \(subject) \(headers) \(data.count) B \(time)" }
    }

    static func everything(_ jetStream: JetStream, _ stream: String) async throws -> [Stored] {
        let info = try await jetStream.streamInfo(stream)
        var stored: [Stored] = []
        guard info.state.messages > 0 else { return [] }
        for sequence in info.state.firstSeq...info.state.lastSeq {
            guard let message = try? await jetStream.getMessage(stream: stream, sequence: sequence) else { continue }
            stored.append(
                Stored(
                    sequence: message.sequence,
                    subject: message.subject,
                    headers: (message.headers.map { Array($0) } ?? []).map { "\($0.name): \($0.value)" },
                    data: message.data,
                    time: message.time
                )
            )
        }
        return stored
    }

    static func cli(_ server: NATSServer, _ arguments: [String]) async throws -> ProgramRun {
        try await CommandRunner.run(try CommandRunner.cimMonitor(), arguments + ["--server", server.url], timeout: 120)
    }

    /// A started nats-server with the drill's ORDERS stream (``populate(_:)``), a client and its JetStream context,
    /// and an empty temporary directory.
    static func populatedServer() async throws -> (NATSServer, NATSClient, JetStream, URL) {
        let server = try NATSServer()
        try server.start()
        let client = try await server.connectedClient()
        let jetStream = JetStream(client: client, timeout: 10)
        try await populate(jetStream)
        return (server, client, jetStream, try temporaryDirectory())
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ops-backup-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `ORDERS` with 600 messages (headers, binary and JSON payloads, a deleted message in the middle) and two durable
    /// consumers: `projection` acknowledged up to 250, `audit` with 40 delivered and none acknowledged.
    static func populate(_ jetStream: JetStream) async throws {
        var config = StreamConfig(name: "ORDERS", subjects: ["orders.>"])
        config.description = "orders of the drill"
        config.maxMsgsPerSubject = 1000
        try await jetStream.createStream(config)
        for index in 0..<600 {
            var headers = NATSHeaders()
            headers.append("X-Correlation-ID", "c-\(index % 7)")
            headers.append("X-Trace", "t\(index)")
            let payload = index % 5 == 0 ? ByteBuffer(bytes: (0..<64).map { UInt8(($0 * index) & 0xFF) }) : ByteBuffer(string: #"{"n":\#(index)}"#)
            try await jetStream.publish(payload, to: "orders.\(index % 3).placed", headers: index % 2 == 0 ? headers : nil)
        }
        try await jetStream.deleteMessage(stream: "ORDERS", sequence: 300)
        for (name, ack) in [("projection", 250), ("audit", 0)] {
            try await jetStream.createConsumer(stream: "ORDERS", config: ConsumerConfig(durableName: name, ackPolicy: .explicit))
            let consumer = jetStream.pullConsumer(stream: "ORDERS", name: name)
            var delivered = 0
            while delivered < max(ack, 40) {
                for message in try await consumer.fetch(batch: min(100, max(ack, 40) - delivered)) {
                    delivered += 1
                    if delivered <= ack { try await message.ackSync() }
                }
            }
        }
    }

    @Test func backupDeleteRestoreIsByteIdenticalWithConsumersAtTheirAckFloors() async throws {
        let (server, client, jetStream, directory) = try await Self.populatedServer()
        defer {
            server.shutdown()
            try? FileManager.default.removeItem(at: directory)
        }
        let before = try await Self.everything(jetStream, "ORDERS")
        let infoBefore = try await jetStream.streamInfo("ORDERS")
        let consumersBefore = try await jetStream.consumers(stream: "ORDERS").sorted { $0.name < $1.name }
        #expect(before.count == 599)

        let backup = try await Self.cli(server, ["backup", "ORDERS", "--to", directory.path])
        try #require(backup.status == 0, "\(backup.error)")
        #expect(backup.outputText.hasPrefix("backed up ORDERS: 599 messages"), "\(backup.outputText)")
        let manifest = try BackupVerification.verifyStream(directory.appendingPathComponent("ORDERS")).manifest
        #expect(manifest.messages == 599 && manifest.consumers == ["audit", "projection"])
        #expect(manifest.serverVersion == client.serverInfo?.version)
        // Named as the nats CLI names a nats-server 2.15 snapshot.
        #expect(manifest.files.map(\.name).sorted() == [BackupFiles.stream, BackupFiles.consumers, BackupFiles.archiveData].sorted())
        let written = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("ORDERS").path).sorted()
        #expect(written == [BackupFiles.stream, BackupFiles.consumers, BackupFiles.manifest, BackupFiles.archiveData].sorted())

        try await jetStream.deleteStream("ORDERS")
        let restore = try await Self.cli(server, ["restore", directory.path])
        try #require(restore.status == 0, "\(restore.error)")
        #expect(restore.outputText.contains("restored ORDERS: 599 messages"), "\(restore.outputText)")

        let after = try await Self.everything(jetStream, "ORDERS")
        #expect(after == before)
        let infoAfter = try await jetStream.streamInfo("ORDERS")
        #expect(infoAfter.config == infoBefore.config)
        #expect(infoAfter.state.firstSeq == infoBefore.state.firstSeq && infoAfter.state.lastSeq == infoBefore.state.lastSeq)
        #expect(infoAfter.state.numDeleted == 1)
        let consumersAfter = try await jetStream.consumers(stream: "ORDERS").sorted { $0.name < $1.name }
        #expect(consumersAfter.map(\.name) == consumersBefore.map(\.name))
        for (old, new) in zip(consumersBefore, consumersAfter) {
            #expect(new.config == old.config, "\(new.name)")
            #expect(new.ackFloor.streamSeq == old.ackFloor.streamSeq, "\(new.name) ack floor")
            #expect(new.numPending + UInt64(new.numAckPending) == old.numPending + UInt64(old.numAckPending), "\(new.name) pending")
        }
        #expect(consumersAfter.first { $0.name == "projection" }?.ackFloor.streamSeq == 250)
        await client.close()
    }

    @Test func damagedBackupsAndExistingStreamsAreRefusedBeforeTheServerChanges() async throws {
        let (server, client, jetStream, directory) = try await Self.populatedServer()
        defer {
            server.shutdown()
            try? FileManager.default.removeItem(at: directory)
        }
        let backup = try await Self.cli(server, ["backup", "ORDERS", "--to", directory.path])
        try #require(backup.status == 0, "\(backup.error)")
        let original = directory.appendingPathComponent("ORDERS")
        let before = try await Self.everything(jetStream, "ORDERS")

        // An existing stream: refused without --force, replaced with it.
        let refused = try await Self.cli(server, ["restore", original.path])
        #expect(refused.status == 1)
        #expect(refused.error.hasPrefix("error: stream ORDERS exists: restore with --force"), "\(refused.error)")
        #expect(try await Self.everything(jetStream, "ORDERS") == before)

        func copy(_ name: String, _ damage: (URL) throws -> Void) throws -> URL {
            let target = directory.appendingPathComponent(name)
            try FileManager.default.copyItem(at: original, to: target)
            try damage(target)
            return target
        }
        let data = BackupFiles.archiveData  // nats-server 2.15 sends the NATSARC1 archive
        let truncated = try copy("truncated") { url in
            let file = try FileHandle(forWritingTo: url.appendingPathComponent(data))
            let size = try file.seekToEnd()
            try file.truncate(atOffset: size / 2)
            try file.close()
        }
        let flipped = try copy("flipped") { url in
            var bytes = try Data(contentsOf: url.appendingPathComponent(BackupFiles.stream))
            bytes[bytes.count / 2] ^= 0x20
            try bytes.write(to: url.appendingPathComponent(BackupFiles.stream))
        }
        let incomplete = try copy("incomplete") { url in try FileManager.default.removeItem(at: url.appendingPathComponent(BackupFiles.manifest)) }
        let missing = try copy("missing") { url in try FileManager.default.removeItem(at: url.appendingPathComponent(data)) }
        try await jetStream.deleteStream("ORDERS")
        let cases: [(URL, String)] = [
            (truncated, "stream.arc.s2 has"), (flipped, "SHA-256 of backup.json does not match"), (incomplete, "incomplete backup"),
            (missing, "stream.arc.s2 is missing"),
        ]
        for (url, message) in cases {
            for arguments in [["restore", url.path], ["restore", url.path, "--force"]] {
                let run = try await Self.cli(server, arguments)
                #expect(run.status == 1, "\(url.lastPathComponent)")
                #expect(run.error.hasPrefix("error: ") && run.error.contains(message), "\(url.lastPathComponent): \(run.error)")
                #expect(run.error.split(separator: "\n").count == 1)
            }
        }
        #expect(try await jetStream.streamNames().isEmpty, "nothing was created")

        // A truncated snapshot whose manifest was rewritten to match passes the checksums; the server refuses the
        // data, and no stream is left behind.
        func rewriteManifest(_ url: URL, _ change: (BackupManifest.File) throws -> BackupManifest.File) throws {
            var manifest = try BackupVerification.verifyStream(original).manifest
            manifest.files = try manifest.files.map { $0.name == data ? try change($0) : $0 }
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            try encoder.encode(manifest).write(to: url.appendingPathComponent(BackupFiles.manifest))
        }
        let forged = try copy("forged") { url in
            let file = try FileHandle(forWritingTo: url.appendingPathComponent(data))
            let size = try file.seekToEnd()
            try file.truncate(atOffset: size - 100)
            try file.close()
            try rewriteManifest(url) { _ in
                let (newSize, digest) = try BackupVerification.sha256(of: url.appendingPathComponent(data), in: url)
                return BackupManifest.File(name: data, size: newSize, sha256: digest)
            }
        }
        let run = try await Self.cli(server, ["restore", forged.path])
        #expect(run.status == 1)
        #expect(run.error.hasPrefix("error: ") && run.error.split(separator: "\n").count == 1, "\(run.error)")
        let left = try await jetStream.streamNames()
        #expect(left.isEmpty, "a failed restore leaves no stream: \(left)")

        // The undamaged backup still restores, under its name and under another.
        let good = try await Self.cli(server, ["restore", original.path])
        #expect(good.status == 0, "\(good.error)")
        #expect(try await Self.everything(jetStream, "ORDERS") == before)

        // A backup whose data file has the tar name (as before the archive existed, or as written by a tool that
        // does not tell them apart) restores too.
        let tarNamed = try copy("tar-named") { url in
            try FileManager.default.moveItem(at: url.appendingPathComponent(data), to: url.appendingPathComponent(BackupFiles.tarData))
            try rewriteManifest(url) { BackupManifest.File(name: BackupFiles.tarData, size: $0.size, sha256: $0.sha256) }
        }
        try await jetStream.deleteStream("ORDERS")
        let restoredTarNamed = try await Self.cli(server, ["restore", tarNamed.path])
        #expect(restoredTarNamed.status == 0, "\(restoredTarNamed.error)")
        #expect(try await Self.everything(jetStream, "ORDERS") == before)
        await client.close()
    }

    @Test func restoreAsPutsTheStreamUnderANewName() async throws {
        let (server, client, jetStream, directory) = try await Self.populatedServer()
        defer {
            server.shutdown()
            try? FileManager.default.removeItem(at: directory)
        }
        let before = try await Self.everything(jetStream, "ORDERS")
        let backup = try await Self.cli(server, ["backup", "--all", "--to", directory.path])
        try #require(backup.status == 0, "\(backup.error)")
        try await jetStream.deleteStream("ORDERS")
        let run = try await Self.cli(server, ["restore", directory.appendingPathComponent("ORDERS").path, "--as", "ORDERS_COPY"])
        try #require(run.status == 0, "\(run.error)")
        #expect(try await jetStream.streamNames() == ["ORDERS_COPY"])
        #expect(try await Self.everything(jetStream, "ORDERS_COPY") == before)
        await client.close()
    }
}
