import ArgumentParser
import CommandSupport
import Foundation
import NATS
import NATSHealth

struct StreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "List, inspect and read JetStream streams.",
        subcommands: [List.self, Info.self, Read.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List streams with their message counts.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await withJetStream(connection) { jetStream in
                let streams = try await jetStream.streams().sorted { $0.config.name < $1.config.name }
                if json {
                    try printJSON(streams)
                    return
                }
                if streams.isEmpty {
                    print("no streams")
                    return
                }
                var rows = [["NAME", "SUBJECTS", "MESSAGES", "BYTES", "FIRST", "LAST", "CONSUMERS"]]
                for stream in streams {
                    rows.append([
                        stream.config.name, (stream.config.subjects ?? []).joined(separator: ","), String(stream.state.messages),
                        formatBytes(stream.state.bytes), String(stream.state.firstSeq), String(stream.state.lastSeq),
                        String(stream.state.consumerCount),
                    ])
                }
                printTable(rows)
            }
        }
    }

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "info", abstract: "Show a stream's configuration and state.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Stream name.") var name: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await withJetStream(connection) { jetStream in
                let info = try await jetStream.streamInfo(name)
                if json {
                    try printJSON(info)
                    return
                }
                let config = info.config
                let state = info.state
                printTable([
                    ["Name:", config.name],
                    ["Subjects:", (config.subjects ?? []).joined(separator: ", ")],
                    ["Storage:", "\(config.storage), \(config.numReplicas) replica(s)"],
                    ["Retention:", config.retention],
                    [
                        "Limits:",
                        "msgs \(limit(config.maxMsgs)), bytes \(limit(config.maxBytes)), age \(config.maxAge == 0 ? "unlimited" : "\(config.maxAge / 1_000_000_000)s")",
                    ],
                    ["Created:", info.created],
                    ["Messages:", String(state.messages)],
                    ["Bytes:", formatBytes(state.bytes)],
                    ["First sequence:", "\(state.firstSeq) \(state.firstTs ?? "")"],
                    ["Last sequence:", "\(state.lastSeq) \(state.lastTs ?? "")"],
                    ["Subjects held:", String(state.numSubjects ?? 0)],
                    ["Deleted:", String(state.numDeleted ?? 0)],
                    ["Consumers:", String(state.consumerCount)],
                ])
            }
        }

        private func limit(_ value: Int64) -> String { value < 0 ? "unlimited" : String(value) }
    }
}

struct ConsumerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumer",
        abstract: "List and inspect a stream's consumers.",
        subcommands: [List.self, Info.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a stream's consumers and their lag.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Stream name.") var stream: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await withJetStream(connection) { jetStream in
                let consumers = try await jetStream.consumers(stream: stream).sorted { $0.name < $1.name }
                if json {
                    try printJSON(consumers)
                    return
                }
                if consumers.isEmpty {
                    print("no consumers on \(stream)")
                    return
                }
                var rows = [["NAME", "ACK", "DELIVERED", "ACK FLOOR", "PENDING", "ACK PENDING", "REDELIVERED", "WAITING"]]
                for consumer in consumers {
                    rows.append([
                        consumer.name, consumer.config.ackPolicy.rawValue, String(consumer.delivered.streamSeq),
                        String(consumer.ackFloor.streamSeq), String(consumer.numPending), String(consumer.numAckPending),
                        String(consumer.numRedelivered), String(consumer.numWaiting),
                    ])
                }
                printTable(rows)
            }
        }
    }

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "info", abstract: "Show a consumer's configuration and progress.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Stream name.") var stream: String
        @Argument(help: "Consumer name.") var name: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await withJetStream(connection) { jetStream in
                let info = try await jetStream.consumerInfo(stream: stream, name: name)
                if json {
                    try printJSON(info)
                    return
                }
                let config = info.config
                let filters = config.filterSubjects ?? config.filterSubject.map { [$0] } ?? []
                printTable([
                    ["Stream:", info.streamName],
                    ["Name:", info.name],
                    ["Durable:", config.durableName == nil ? "no" : "yes"],
                    ["Filter:", filters.isEmpty ? "(all subjects)" : filters.joined(separator: ", ")],
                    ["Deliver policy:", config.deliverPolicy.rawValue],
                    ["Ack policy:", config.ackPolicy.rawValue],
                    ["Ack wait:", config.ackWait.map { "\(Double($0) / 1e9)s" } ?? "-"],
                    ["Max ack pending:", config.maxAckPending.map(String.init) ?? "-"],
                    ["Delivered:", "consumer seq \(info.delivered.consumerSeq), stream seq \(info.delivered.streamSeq)"],
                    ["Ack floor:", "consumer seq \(info.ackFloor.consumerSeq), stream seq \(info.ackFloor.streamSeq)"],
                    ["Pending:", String(info.numPending)],
                    ["Ack pending:", String(info.numAckPending)],
                    ["Redelivered:", String(info.numRedelivered)],
                    ["Waiting pulls:", String(info.numWaiting)],
                ])
            }
        }
    }
}

/// Connects, runs `body` with a JetStream context, and turns errors into one line.
func withJetStream(_ connection: ConnectionOptions, _ body: (JetStream) async throws -> Void) async throws {
    try await reportingErrors {
        let client = try await connection.connect()
        do {
            try await body(JetStream(client: client))
        } catch let error as JetStreamError {
            await client.close()
            printError("error: \(error)")
            throw ExitCode(1)
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }
}

func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    writeOutput(Array(try encoder.encode(value)) + Array("\n".utf8))
}

func printTable(_ rows: [[String]]) {
    guard let columns = rows.map(\.count).max() else { return }
    var widths = [Int](repeating: 0, count: columns)
    for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
    for row in rows {
        let line = row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
        print(line)
    }
}
