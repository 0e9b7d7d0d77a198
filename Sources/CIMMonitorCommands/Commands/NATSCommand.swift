import ArgumentParser
import CommandSupport
import Foundation
import NATS
import NATSCore
import NIOCore

struct NATSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nats",
        abstract: "Small operator tools over the NATS client: publish, subscribe, request, cluster status.",
        subcommands: [Publish.self, Subscribe.self, Request.self, NATSStatusCommand.self]
    )

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pub",
            abstract: "Publish a message (or --count messages) to a subject.",
            discussion: "Without DATA, --size gives a payload of that many bytes. A summary goes to stderr when --count > 1."
        )

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Subject to publish to.") var subject: String
        @Argument(help: "Message payload.") var data: String?
        @Option(name: .customLong("header"), help: ArgumentHelp("Header K:V (repeatable).", valueName: "K:V")) var headers: [String] = []
        @Option(help: "Number of messages to publish.") var count = 1
        @Option(help: "Payload size in bytes when no DATA is given.") var size = 0
        @Option(name: .customLong("reply"), help: "Reply subject.") var replyTo: String?

        func validate() throws {
            guard count > 0 else { throw ValidationError("--count must be at least 1") }
            guard size >= 0 else { throw ValidationError("--size cannot be negative") }
            for header in headers where !header.contains(":") {
                throw ValidationError("--header \(header.debugDescription) is not K:V")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let client = try await connection.connect()
                let payload = data.map { ByteBuffer(string: $0) } ?? ByteBuffer(repeating: UInt8(ascii: "x"), count: size)
                var natsHeaders: NATSHeaders?
                if !headers.isEmpty {
                    var parsed = NATSHeaders()
                    for header in headers {
                        let colon = header.firstIndex(of: ":")!
                        parsed.append(
                            String(header[..<colon]).trimmingCharacters(in: .whitespaces),
                            String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                        )
                    }
                    natsHeaders = parsed
                }
                // Property wrappers cost a generic metadata lookup per access: read them once, not per message.
                let (subject, replyTo, count) = (self.subject, self.replyTo, self.count)
                let clock = ContinuousClock()
                let start = clock.now
                for _ in 0..<count {
                    try await client.publish(payload, to: subject, replyTo: replyTo, headers: natsHeaders)
                }
                try await client.flush()
                let elapsed = (clock.now - start).seconds
                if count > 1 {
                    printError(
                        "published \(count) messages of \(payload.readableBytes) bytes in \(formatSeconds(elapsed)): \(formatRate(Double(count) / elapsed)) msgs/s"
                    )
                }
                await client.close()
            }
        }
    }

    struct Subscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sub",
            abstract: "Subscribe to a subject and print what arrives.",
            discussion: "Stops after --count messages, or on Ctrl-C. With --quiet, only a summary is printed."
        )

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Subject to subscribe to (wildcards allowed).") var subject: String
        @Option(help: "Queue group to join.") var queue: String?
        @Option(help: "Stop after this many messages.") var count: Int?
        @Flag(help: "Print nothing per message; print a summary at the end.") var quiet = false

        func validate() throws {
            if let count, count <= 0 { throw ValidationError("--count must be at least 1") }
        }

        func run() async throws {
            try await reportingErrors {
                let client = try await connection.connect()
                let subscription = try await client.subscribe(to: subject, queue: queue, maxMessages: count)
                try await client.flush()
                if !quiet { printError("listening on \(subject)\(queue.map { " (queue \($0))" } ?? "")") }
                let quiet = self.quiet  // read the property wrapper once, not per message
                let clock = ContinuousClock()
                var start: ContinuousClock.Instant?
                var received = 0
                var bytes = 0
                for await message in subscription {
                    if start == nil { start = clock.now }
                    received += 1
                    bytes += message.payload.readableBytes
                    if !quiet { printMessage(message, number: received) }
                }
                let elapsed = start.map { (clock.now - $0).seconds } ?? 0
                if quiet || count != nil {
                    let rate = elapsed > 0 ? formatRate(Double(received) / elapsed) : "-"
                    printError(
                        "received \(received) messages (\(bytes) payload bytes) in \(formatSeconds(elapsed)): \(rate) msgs/s, \(subscription.dropped) dropped"
                    )
                }
                await client.close()
                if subscription.dropped > 0 { throw ExitCode(2) }
            }
        }

        private func printMessage(_ message: NATSMessage, number: Int) {
            var text = "[#\(number)] \(message.subject)"
            if let reply = message.replyTo { text += " (reply \(reply))" }
            if let headers = message.headers {
                for field in headers { text += "\n  \(field.name): \(field.value)" }
            }
            text += "\n\(message.string)\n"
            writeOutput(Array(text.utf8))
        }
    }

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request",
            abstract: "Send a request and print the reply."
        )

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Subject to send the request to.") var subject: String
        @Argument(help: "Request payload.") var data: String = ""
        @Option(help: "How long to wait for the reply (e.g. 2s, 500ms).") var timeout = DurationArgument(seconds: 2)

        func run() async throws {
            try await reportingErrors {
                let client = try await connection.connect()
                defer { Task { await client.close() } }
                let reply = try await client.request(data, to: subject, timeout: timeout.seconds)
                writeOutput(Array((reply.string + "\n").utf8))
                await client.close()
            }
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

func formatSeconds(_ seconds: Double) -> String { String(format: "%.3fs", seconds) }

func formatRate(_ rate: Double) -> String {
    rate >= 1e6 ? String(format: "%.2fM", rate / 1e6) : rate >= 1e3 ? String(format: "%.1fk", rate / 1e3) : String(format: "%.0f", rate)
}
