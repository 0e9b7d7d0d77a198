import Foundation

/// `nats status`'s report: the servers, streams and consumers, and a verdict.
public struct StatusReport: Sendable {
    public enum Health: String, Sendable {
        case healthy, degraded, unreachable
    }

    public let view: ClusterView
    public let snapshots: [ServerSnapshot]
    public let statistics: PollStatistics

    public init(view: ClusterView, snapshots: [ServerSnapshot], statistics: PollStatistics) {
        self.view = view
        self.snapshots = snapshots
        self.statistics = statistics
    }

    /// Unreachable when no server answered; degraded when a server is down, fewer servers than expected are up, a
    /// JetStream cluster has no meta leader, or a consumer is stalled.
    public var health: Health {
        guard !snapshots.isEmpty else { return .unreachable }
        return problems.isEmpty ? .healthy : .degraded
    }

    /// What makes the cluster degraded, one line each.
    public var problems: [String] {
        var lines = view.downServers.map { "server \($0.name) is down" }
        let up = view.servers.filter(\.up).count
        if up < view.expectedServers { lines.append("\(up) of \(view.expectedServers) expected servers are up") }
        if view.metaLeader == nil, snapshots.contains(where: { ($0.jetStream?.metaClusterSize ?? 0) > 1 }) {
            lines.append("the JetStream cluster has no meta leader")
        }
        lines += view.consumers.filter(\.stalled).map { "consumer \($0.key.stream.stream)/\($0.key.consumer) is stalled" }
        return lines
    }

    public var firstError: String? { statistics.lastErrorMessages.first }

    /// The tables for a terminal.
    public func table() -> String {
        var out = "Servers (\(health.rawValue))\n"
        var rows = [["NAME", "CLUSTER", "VERSION", "STATE", "CONNS", "IN MSGS", "OUT MSGS", "JS USED", "JS RESERVED", "META"]]
        let byName = Dictionary(snapshots.map { ($0.identity.name, $0) }, uniquingKeysWith: { first, _ in first })
        for server in view.servers {
            let snapshot = byName[server.name]
            rows.append([
                server.name, server.cluster, snapshot?.identity.version ?? "", server.up ? "up" : "DOWN",
                text(snapshot?.connections), text(snapshot?.inMessages), text(snapshot?.outMessages),
                bytes(snapshot?.storageUsed), bytes(snapshot?.storageReserved), view.metaLeader == server.name ? "leader" : "",
            ])
        }
        out += Self.format(rows)
        if !view.streams.isEmpty {
            out += "\nStreams\n"
            var streamRows = [["ACCOUNT", "STREAM", "MESSAGES", "BYTES", "REPLICAS", "LEADER"]]
            for stream in view.streams {
                streamRows.append([
                    stream.key.account, stream.key.stream, text(stream.messages), bytes(stream.bytes), text(stream.replicas), stream.leader ?? "",
                ])
            }
            out += Self.format(streamRows)
        }
        if !view.consumers.isEmpty {
            out += "\nConsumers\n"
            var consumerRows = [["STREAM", "CONSUMER", "PENDING", "ACK PENDING", "LAG", "STALLED"]]
            for consumer in view.consumers {
                consumerRows.append([
                    consumer.key.stream.stream, consumer.key.consumer, String(consumer.pending), String(consumer.ackPending),
                    consumer.lagSeconds.map { String(format: "%.1fs", $0) } ?? "?", consumer.stalled ? "STALLED" : "",
                ])
            }
            out += Self.format(consumerRows)
        }
        for problem in problems { out += "\n! \(problem)" }
        for error in statistics.lastErrorMessages { out += "\n! poll error: \(error)" }
        return out + (problems.isEmpty && statistics.lastErrorMessages.isEmpty ? "" : "\n")
    }

    /// The report as one JSON object; with the CPU and wall seconds one poll took on average, when measured.
    public func json(cpuPerPoll: Double? = nil, wallPerPoll: Double? = nil) -> String {
        struct Server: Encodable {
            var name, cluster, version: String
            var up, metaLeader: Bool
            var connections, inMsgs, outMsgs, storageUsed, storageReserved: UInt64?
        }
        struct Stream: Encodable {
            var account, name: String
            var messages, bytes, replicas: UInt64?
            var leader: String?
        }
        struct Consumer: Encodable {
            var stream, name: String
            var pending, ackPending: UInt64
            var lagSeconds: Double?
            var stalled: Bool
        }
        struct Report: Encodable {
            var health: String
            var expectedServers: Int
            var metaLeader: String?
            var servers: [Server]
            var streams: [Stream]
            var consumers: [Consumer]
            var problems: [String]
            var errors: [String]
            var pollCPUSecondsPerPoll: Double?
            var pollWallSecondsPerPoll: Double?
        }
        let byName = Dictionary(snapshots.map { ($0.identity.name, $0) }, uniquingKeysWith: { first, _ in first })
        let report = Report(
            health: health.rawValue,
            expectedServers: view.expectedServers,
            metaLeader: view.metaLeader,
            servers: view.servers.map { server in
                let snapshot = byName[server.name]
                return Server(
                    name: server.name,
                    cluster: server.cluster,
                    version: snapshot?.identity.version ?? "",
                    up: server.up,
                    metaLeader: view.metaLeader == server.name,
                    connections: snapshot?.connections,
                    inMsgs: snapshot?.inMessages,
                    outMsgs: snapshot?.outMessages,
                    storageUsed: snapshot?.storageUsed,
                    storageReserved: snapshot?.storageReserved
                )
            },
            streams: view.streams.map {
                Stream(account: $0.key.account, name: $0.key.stream, messages: $0.messages, bytes: $0.bytes, replicas: $0.replicas, leader: $0.leader)
            },
            consumers: view.consumers.map {
                Consumer(
                    stream: $0.key.stream.stream,
                    name: $0.key.consumer,
                    pending: $0.pending,
                    ackPending: $0.ackPending,
                    lagSeconds: $0.lagSeconds,
                    stalled: $0.stalled
                )
            },
            problems: problems,
            errors: statistics.lastErrorMessages,
            pollCPUSecondsPerPoll: cpuPerPoll,
            pollWallSecondsPerPoll: wallPerPoll
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private func text(_ value: UInt64?) -> String { value.map(String.init) ?? "-" }

    private func bytes(_ value: UInt64?) -> String { value.map(formatBytes) ?? "-" }

    static func format(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = first.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }
}
