import Foundation
import NATS
import NATSCore
import NIOCore
import Synchronization

/// Polls every server of the cluster through the system account: one `$SYS.REQ.SERVER.PING.<NAME>` request per
/// endpoint, gathering replies until all known servers answered or a short quiet period passed.
public final class SystemAccountSource: Sendable {
    public let client: NATSClient
    /// How long to keep gathering after the last reply (50 ms once every known server answered).
    public let quietPeriod: Double
    private let connected = Mutex(false)

    /// - Parameter options: the client options with the system account's credentials.
    public init(options: NATSOptions, quietPeriod: Double = 0.25) throws(NATSError) {
        var options = options
        options.name = options.name ?? "cim-monitor health"
        client = try NATSClient(options: options)
        self.quietPeriod = quietPeriod
    }

    /// Connects on the first poll (and again after a failed connect).
    private func ensureConnected() async throws(NATSError) {
        if connected.withLock({ $0 }) { return }
        try await client.connect()
        connected.withLock { $0 = true }
    }

    /// One poll of all endpoints; `expected` is the number of servers known, to stop gathering early.
    public func poll(expected: Int, timeout: Double) async -> SourceResult {
        var result = SourceResult()
        do {
            try await ensureConnected()
        } catch {
            let reason = error.code == .authorizationViolation || "\(error.message)".lowercased().contains("authoriz") ? "auth" : "connect"
            result.errors.append((reason, "cannot connect to NATS with the system account: \(error.message)"))
            return result
        }
        let replies = await withTaskGroup(of: (MonitoringEndpoint, [Reply], Int).self) { group in
            for endpoint in MonitoringEndpoint.allCases {
                group.addTask { await self.gather(endpoint, expected: expected, timeout: timeout) }
            }
            var all: [(MonitoringEndpoint, [Reply], Int)] = []
            for await reply in group { all.append(reply) }
            return all
        }
        var byID: [String: ServerSnapshot] = [:]
        var order: [String] = []
        for (endpoint, documents, invalid) in replies.sorted(by: { $0.0.rawValue < $1.0.rawValue }) {
            for _ in 0..<invalid { result.errors.append(("invalid_json", "a $SYS reply to \(endpoint.rawValue) is not valid JSON")) }
            if documents.isEmpty { result.errors.append(("no_reply", "no server answered \(endpoint.systemSubject)")) }
            for document in documents {
                guard let server = document.server, let id = server["id"]?.string, !id.isEmpty else {
                    result.errors.append(("invalid_json", "a $SYS reply to \(endpoint.rawValue) names no server"))
                    continue
                }
                if let error = document.error, error != .null {
                    let description = error["description"]?.string ?? "error"
                    result.errors.append(("server_error", "\(server["name"]?.string ?? id) answered \(endpoint.rawValue): \(description)"))
                    continue
                }
                if byID[id] == nil {
                    order.append(id)
                    byID[id] = ServerSnapshot(
                        identity: ServerIdentity(
                            id: id,
                            name: server["name"]?.string ?? id,
                            cluster: server["cluster"]?.string ?? "",
                            version: server["ver"]?.string ?? ""
                        )
                    )
                }
                switch (endpoint, document.data) {
                case (_, nil): continue
                case (.jsz, .jetStream(let report)): byID[id]!.jetStream = report
                case (.varz, .tree(let data)): byID[id]!.varz = data
                case (.connz, .tree(let data)): byID[id]!.connz = data
                case (.routez, .tree(let data)): byID[id]!.routez = data
                case (.subsz, .tree(let data)): byID[id]!.subsz = data
                case (.healthz, .tree(let data)): byID[id]!.healthStatus = data["status"]?.string
                default: continue
                }
            }
        }
        result.snapshots = order.map { byID[$0]! }
        return result
    }

    /// Sends one PING request and gathers the replies: the parsed documents and how many were not JSON.
    /// One server's reply: `{"server":{…},"data":{…},"error":{…}}`, the first of each member; the data of `jsz`
    /// (megabytes with every consumer) read straight into its report, the others as trees.
    struct Reply: Sendable {
        enum Data: Sendable {
            case tree(JSONValue)
            case jetStream(JetStreamReport?)
        }

        var server: JSONValue?
        var error: JSONValue?
        var data: Data?

        static func read(_ bytes: some Collection<UInt8>, endpoint: MonitoringEndpoint) throws(JSONParser.Failure) -> Reply {
            try JSONReader.read(bytes) { (reader: inout JSONReader) throws(JSONParser.Failure) in
                var reply = Reply()
                var seen = JetStreamReport.FirstMembers()
                try JSONReader.members(&reader, depth: 0) { (key, reader) throws(JSONParser.Failure) in
                    switch key {
                    case "server" where seen.first(0): reply.server = try reader.value(depth: 1)
                    case "error" where seen.first(1): reply.error = try reader.value(depth: 1)
                    case "data" where seen.first(2):
                        reply.data = endpoint == .jsz ? .jetStream(try JetStreamReport.read(&reader, depth: 1)) : .tree(try reader.value(depth: 1))
                    default: try reader.skip(depth: 1)
                    }
                }
                return reply
            }
        }
    }

    private func gather(_ endpoint: MonitoringEndpoint, expected: Int, timeout: Double) async -> (MonitoringEndpoint, [Reply], Int) {
        let inbox = "_INBOX.\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
        guard let subscription = try? await client.subscribe(to: inbox) else { return (endpoint, [], 0) }
        let collected = Mutex<(documents: [Reply], invalid: Int, last: ContinuousClock.Instant?)>(([], 0, nil))
        let reader = Task {
            for await message in subscription {
                let parsed = try? Reply.read(message.payload.readableBytesView, endpoint: endpoint)
                collected.withLock { state in
                    if let parsed { state.documents.append(parsed) } else { state.invalid += 1 }
                    state.last = .now
                }
            }
        }
        defer { reader.cancel() }
        do {
            try await client.publish(ByteBuffer(string: endpoint.systemRequestBody), to: endpoint.systemSubject, replyTo: inbox)
        } catch {
            try? await subscription.unsubscribe()
            return (endpoint, [], 0)
        }
        let deadline = ContinuousClock.now.advanced(by: .seconds(timeout))
        while ContinuousClock.now < deadline {
            let (count, last) = collected.withLock { ($0.documents.count + $0.invalid, $0.last) }
            // Every known server answered: a short quiet period still lets a new one in. Some known server has not
            // answered yet: a longer one, so a busy server's late reply is not taken for a server down.
            let quiet =
                expected > 0 && count >= expected ? min(quietPeriod, 0.05) : expected > 0 ? max(quietPeriod, 1) : quietPeriod
            if let last, ContinuousClock.now - last >= .seconds(quiet) { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        try? await subscription.unsubscribe()
        let final = collected.withLock { $0 }
        return (endpoint, final.documents, final.invalid)
    }

    public func close() async {
        await client.close()
    }
}
