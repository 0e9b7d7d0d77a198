import ArgumentParser
import CommandSupport
import Foundation
import NATS
import NATSCore
import NIOCore

extension StreamCommand {
    /// Reads a whole stream with the ordered consumer: what `scan` reads, without mapping or folding.
    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read",
            abstract: "Read every message a stream holds now, in order, and print it.",
            discussion: """
                Reads from the first message up to the stream's last sequence when the command starts, with the \
                ordered consumer. Each message is printed as its subject, stream sequence and payload; with --quiet \
                only a summary goes to stderr.
                """
        )

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Stream name.") var stream: String
        @Option(help: "Stop after this many messages.") var count: Int?
        @Option(help: "Messages per pull request.") var batch = 2000
        @Flag(help: "Print nothing per message; print a summary on stderr at the end.") var quiet = false

        func validate() throws {
            if let count, count <= 0 { throw ValidationError("--count must be at least 1") }
            guard batch > 0 else { throw ValidationError("--batch must be at least 1") }
        }

        func run() async throws {
            try await withJetStream(connection) { jetStream in
                let info = try await jetStream.streamInfo(stream)
                let clock = ContinuousClock()
                let start = clock.now
                var read = 0
                var bytes = 0
                if info.state.messages > 0 {
                    let consumer = jetStream.orderedConsumer(stream: stream, stopAt: info.state.lastSeq, batch: batch)
                    var output: [UInt8] = []
                    for try await message in consumer {
                        read += 1
                        bytes += message.payload.readableBytes
                        if !quiet {
                            Self.append(message, to: &output)
                            if output.count >= 1 << 16 {
                                writeOutput(output)
                                output.removeAll(keepingCapacity: true)
                            }
                        }
                        if let count, read >= count { break }
                    }
                    if !output.isEmpty { writeOutput(output) }
                }
                let elapsed = (clock.now - start).seconds
                if quiet {
                    let rate = elapsed > 0 ? formatRate(Double(read) / elapsed) : "-"
                    printError("read \(read) messages (\(bytes) payload bytes) in \(formatSeconds(elapsed)): \(rate) msgs/s")
                }
            }
        }

        /// `SUBJECT SEQUENCE\nPAYLOAD\n`, the payload as its bytes.
        private static func append(_ message: JetStreamMessage, to output: inout [UInt8]) {
            output.append(contentsOf: message.subject.utf8)
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: String(message.metadata.streamSequence).utf8)
            output.append(UInt8(ascii: "\n"))
            message.payload.withUnsafeReadableBytes { output.append(contentsOf: $0) }
            output.append(UInt8(ascii: "\n"))
        }
    }
}
