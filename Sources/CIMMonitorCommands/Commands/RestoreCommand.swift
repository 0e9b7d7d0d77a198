import ArgumentParser
import CommandSupport
import Foundation
import NATS
import Operations

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore streams from a backup written by `backup` (consumers included).",
        discussion: """
            DIR is the directory given to `backup --to` (every stream in it is restored) or one stream's directory. \
            Every file is checked against manifest.json (size and SHA-256) before the server is touched; a damaged \
            or incomplete backup is refused. An existing stream is refused unless --force, which deletes it first. \
            --as restores one stream under another name (its subjects must be free).
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Backup directory.") var directory: String
    @Option(name: .customLong("as"), help: "Restore the (one) stream under this name.") var name: String?
    @Flag(help: "Replace a stream that exists.") var force = false

    func run() async throws {
        // Checked before connecting: a damaged backup never reaches the server.
        do {
            _ = try BackupVerification.verify(directory)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        try await withJetStream(connection) { jetStream in
            let restore = StreamRestore(jetStream: jetStream, force: force)
            let clock = ContinuousClock()
            let start = clock.now
            let bar = TerminalProgress()
            let restored = try await restore.restore(directory, as: name) { progress in
                bar.update("restore \(progress.stream)", done: Double(progress.bytes), total: Double(progress.total), unit: "B", bytes: true)
            }
            bar.finish()
            let elapsed = (clock.now - start).seconds
            for info in restored {
                print(
                    "restored \(info.config.name): \(info.state.messages) messages (seq \(info.state.firstSeq)…\(info.state.lastSeq)), "
                        + "\(info.state.consumerCount) consumers"
                )
            }
            printError("restore took \(formatSeconds(elapsed))")
        }
    }
}
