import Foundation
import NATS
import NATSCore
import NATSHealth
import NATSTestSupport
import NIOCore
import Synchronization

/// A started 3-node cluster for the health tests: the R3 stream `ORDERS` (`orders.>`) with the durable pull consumers
/// `worker` and `idle`, the R3 event stream `CIM_EVENTS` (`cim.>`) that `serve` folds, and a client on all nodes.
final class HealthCluster: @unchecked Sendable {
    // @unchecked: used by one test at a time.
    let cluster: NATSCluster
    let client: NATSClient
    let jetStream: JetStream

    init() async throws {
        cluster = try NATSCluster()
        do {
            try await cluster.start()
            var options = try NATSOptions(urls: cluster.urls)
            options.reconnectWait = 0.05
            options.maxReconnectWait = 0.2
            client = try NATSClient(options: options)
            try await client.connect()
            jetStream = JetStream(client: client, timeout: 5)
            var orders = StreamConfig(name: "ORDERS", subjects: ["orders.>"])
            orders.numReplicas = 3
            orders.allowDirect = true
            _ = try await jetStream.createStream(orders)
            for name in ["worker", "idle"] {
                var config = ConsumerConfig(durableName: name)
                config.numReplicas = 3
                _ = try await jetStream.createConsumer(stream: "ORDERS", config: config)
            }
            var events = StreamConfig(name: "CIM_EVENTS", subjects: ["cim.>"])
            events.numReplicas = 3
            _ = try await jetStream.createStream(events)
        } catch {
            cluster.shutdown()
            throw error
        }
    }

    /// The system account's client options, on every node.
    func systemOptions(password: String = NATSCluster.systemPassword) throws -> NATSOptions {
        var options = try NATSOptions(urls: cluster.urls)
        options.auth = .userPassword(user: NATSCluster.systemUser, password: password)
        options.reconnectWait = 0.05
        options.maxReconnectWait = 0.2
        return options
    }

    /// A collector polling through the system account (`system`) or the HTTP endpoints (`http`).
    func collector(source: String, interval: Double = 0.5, stallPolls: Int = 3, events: EventLog? = nil) throws -> HealthCollector {
        var settings = HealthSettings()
        settings.interval = interval
        settings.stallPolls = stallPolls
        if source == "http" { settings.monitorURLs = cluster.monitorURLs }
        if source == "system" { settings.systemCredentials = .userPassword(user: NATSCluster.systemUser, password: NATSCluster.systemPassword) }
        return try HealthCollector(
            settings: settings,
            systemOptions: source == "system" ? try systemOptions() : nil,
            jetStream: jetStream,
            publish: { event in events?.append(event) }
        )
    }

    func shutdown() async {
        await client.close()
        cluster.shutdown()
    }
}

/// Events a collector published, in order.
final class EventLog: Sendable {
    private let events = Mutex<[HealthEvent]>([])
    func append(_ event: HealthEvent) { events.withLock { $0.append(event) } }
    var all: [HealthEvent] { events.withLock { $0 } }
}

/// Runs `body` with a started health cluster and stops it afterwards, also when `body` throws.
func withHealthCluster(_ body: (HealthCluster) async throws -> Void) async throws {
    let bench = try await HealthCluster()
    do {
        try await body(bench)
    } catch {
        await bench.shutdown()
        throw error
    }
    await bench.shutdown()
}
