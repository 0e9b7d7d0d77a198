import ArgumentParser
import CommandSupport
import Foundation
import NATS
import NATSHealth
import Operations

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back streams up through the JetStream snapshot API (consumers included).",
        discussion: """
            Writes DIR/<stream>/ for each stream: backup.json (config and state), stream.arc.s2 (stream.tar.s2 before nats-server 2.15: the snapshot as the \
            server sends it, with the consumers' state), consumers.json, and last manifest.json (size and SHA-256 of \
            each file, server version, time). --all backs up every stream of the account, the monitor's KV bucket \
            CIM_MONITOR (stream KV_CIM_MONITOR) with them. KV buckets are backed up first, so the monitor's snapshots \
            are never ahead of the event streams they describe; `restore` rebinds them to the restored streams. \
            Memory streams cannot be snapshotted. A progress bar goes to stderr on a terminal; one line per stream \
            to stdout when done.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Streams to back up.") var streams: [String] = []
    @Flag(help: "Back up every stream of the account.") var all = false
    @Option(help: ArgumentHelp("Directory to write the backup into (created if missing).", valueName: "dir")) var to: String

    func validate() throws {
        if streams.isEmpty && !all { throw ValidationError("name the streams to back up, or give --all") }
        if !streams.isEmpty && all { throw ValidationError("give stream names or --all, not both") }
    }

    func run() async throws {
        try await withJetStream(connection) { jetStream in
            var names = streams
            if all {
                names = try await jetStream.streams().filter { $0.config.storage == "file" }.map(\.config.name).sorted()
                if names.isEmpty { throw BackupError("the account has no file streams to back up") }
            }
            // Buckets first: a monitor snapshot taken before its event stream's backup is never ahead of it, so a
            // restored monitor resumes inside the restored stream (a running monitor keeps saving meanwhile).
            names = names.filter { $0.hasPrefix("KV_") } + names.filter { !$0.hasPrefix("KV_") }
            let backup = StreamBackup(jetStream: jetStream, directory: URL(fileURLWithPath: to))
            let clock = ContinuousClock()
            for name in names {
                let start = clock.now
                let bar = TerminalProgress()
                let manifest = try await backup.backup(name) { progress in
                    bar.update("backup \(name)", done: Double(progress.bytes), total: Double(progress.streamBytes), unit: "B", bytes: true)
                }
                bar.finish()
                let elapsed = (clock.now - start).seconds
                let size = BackupFiles.data(in: manifest.files)?.size ?? 0
                print(
                    "backed up \(name): \(manifest.messages) messages (seq \(manifest.firstSeq)…\(manifest.lastSeq)), "
                        + "\(manifest.consumers.count) consumers, \(formatBytes(UInt64(size))) snapshot in \(formatSeconds(elapsed))"
                )
            }
        }
    }
}
