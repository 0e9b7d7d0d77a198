import Foundation
import NATS
import NATSCore
import NATSHealth
import NATSTestSupport
import NIOCore
import Synchronization
import Testing

/// `serve` with the health collector and `nats status`, the built binary against a real 3-node cluster: node loss
/// and return, a new meta leader, wrong system credentials, exit statuses, and no secret anywhere.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct HealthServeTests {
    static func serveArguments(_ bench: HealthCluster, instance: String, password: String = NATSCluster.systemPassword) -> [String] {
        var arguments = ["serve", "--instance", instance, "--stream", "CIM_EVENTS", "--snapshot-interval", "0.5"]
        for url in bench.cluster.urls { arguments += ["--server", url] }
        arguments += ["--system-user", NATSCluster.systemUser, "--system-password", password, "--health-interval", "0.5s"]
        return arguments
    }

    static func samples(_ monitor: MonitorProcess) async throws -> [Sample] {
        PrometheusTools.samples(try await httpGet(port: monitor.port, path: "/metrics", timeout: 3).text)
    }

    /// Publishes the CIM events `first..<first + count` to `CIM_EVENTS`, each acknowledged; a publish that fails while
    /// the cluster elects a leader is sent again with the same `Nats-Msg-Id`, so each is stored once.
    static func publish(_ jetStream: JetStream, _ range: Range<Int>) async throws {
        for index in range {
            let body =
                #"{"event_id":"health-\#(index)","event_type":"OrderPlaced","aggregate_type":"order","aggregate_id":"o\#(index)","occurred_at":"2026-12-01T17:00:00Z"}"#
            var attempt = 0
            while true {
                do {
                    try await jetStream.publish(ByteBuffer(string: body), to: "cim.orders.events.order.placed", messageID: "health-\(index)")
                    break
                } catch {
                    attempt += 1
                    if attempt == 10 { throw error }
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
        }
    }

    @Test func nodeLossAndReturnAndANewMetaLeaderAreMetricsAndEventsWhileFoldingGoesOn() async throws {
        try await withHealthCluster { bench in
            let events = try await SelfEvents(bench.client, instance: "health")
            defer { events.task.cancel() }
            let monitor = try MonitorProcess(arguments: Self.serveArguments(bench, instance: "health"))
            defer { monitor.shutdown() }
            try monitor.start()
            try await monitor.waitUntilServing()
            let condition1 = try await poll(10) { sampleValue(try await Self.samples(monitor), "cim_nats_servers", ["state": "up"]) == 3 }
            #expect(condition1)
            try await Self.publish(bench.jetStream, 0..<20)

            // Stop a node that does not lead the meta group.
            let leader = try await bench.cluster.metaLeader()
            let victim = bench.cluster.servers.first { $0.name != leader.name }!
            victim.stop()
            let stopped = Date()
            let down = try await poll(5) {
                let samples = try await Self.samples(monitor)
                return sampleValue(samples, "cim_nats_server_up", ["server_name": victim.name]) == 0
                    && sampleValue(samples, "cim_nats_servers", ["state": "down"]) == 1
            }
            #expect(down, "not reported down")
            // Within two polls of 0.5 s, plus one poll's timeout for the server that no longer answers.
            #expect(Date().timeIntervalSince(stopped) < 2.5, "reported down after \(Date().timeIntervalSince(stopped)) s")
            let condition2 = try await poll(5) { events.count("nats.server_down") == 1 }
            #expect(condition2)
            let downEvent = events.all.first { $0.name == "nats.server_down" }?.body ?? ""
            #expect(downEvent.contains(victim.name) && downEvent.contains("\"event_type\":\"nats.server_down\""))
            try await Self.publish(bench.jetStream, 20..<40)

            try victim.start()
            try await bench.cluster.waitUntilReady()
            let condition3 = try await poll(10) { events.count("nats.server_up") == 1 }
            #expect(condition3)
            let condition4 = try await poll(5) {
                sampleValue(try await Self.samples(monitor), "cim_nats_server_up", ["server_name": victim.name]) == 1
            }
            #expect(condition4)

            // Stop the meta leader: another server takes over.
            let oldLeader = try await bench.cluster.metaLeader()
            oldLeader.stop()
            let newLeader = try await bench.cluster.waitForMetaLeader(other: oldLeader.name)
            let condition5 = try await poll(10) { events.count("nats.meta_leader_changed") >= 1 }
            #expect(condition5)
            let changed = events.all.first { $0.name == "nats.meta_leader_changed" }?.body ?? ""
            #expect(changed.contains(newLeader.name) && changed.contains(oldLeader.name))
            let condition6 = try await poll(5) {
                sampleValue(try await Self.samples(monitor), "cim_nats_meta_leader", ["server_name": newLeader.name]) == 1
            }
            #expect(condition6)
            try await Self.publish(bench.jetStream, 40..<60)
            try oldLeader.start()
            try await bench.cluster.waitUntilReady()

            // Folding went on without a gap: every event published is counted (the monitor's own events, folded too, move
            // the stream on after the read), and the server_down self-event is counted like any other.
            let info = try await bench.jetStream.streamInfo("CIM_EVENTS", subjectsFilter: "cim.orders.events.>")
            let stored = info.state.subjects?["cim.orders.events.order.placed"] ?? 0
            #expect(stored == 60)
            let caughtUp = try await poll(20) {
                sampleValue(try await Self.samples(monitor), "cim_monitor_stream_sequence", ["stream": "CIM_EVENTS"]) ?? 0
                    >= Double(info.state.lastSeq)
            }
            #expect(caughtUp)
            let samples = try await Self.samples(monitor)
            let orders = samples.filter { $0.name == "cim_events_total" && $0.labels["domain"] == "orders" }.map(\.value).reduce(0, +)
            #expect(orders == Double(stored))
            let downCounted = samples.filter { $0.name == "cim_events_total" && ($0.labels["event_type"] ?? "").contains("server_down") }
            #expect(!downCounted.isEmpty, "the server_down self-event is not counted")
            #expect(monitor.stdout.isEmpty)
            #expect(!monitor.stderr.contains(NATSCluster.systemPassword))
        }
    }

    @Test func wrongSystemCredentialsGiveOneEventAndPollErrorsAndFoldingGoesOnWithoutTheSecret() async throws {
        try await withHealthCluster { bench in
            let events = try await SelfEvents(bench.client, instance: "wrongcreds")
            defer { events.task.cancel() }
            let secret = "wrong-secret-4711"
            let monitor = try MonitorProcess(arguments: Self.serveArguments(bench, instance: "wrongcreds", password: secret))
            defer { monitor.shutdown() }
            try monitor.start()
            try await monitor.waitUntilServing()
            let counted = try await poll(10) {
                (sampleValue(try await Self.samples(monitor), "cim_nats_health_poll_errors_total", ["source": "system", "reason": "auth"]) ?? 0) >= 2
            }
            #expect(counted)
            for index in 0..<10 {
                try await bench.jetStream.publish(
                    ByteBuffer(string: #"{"event_type":"OrderPlaced","aggregate_id":"w\#(index)"}"#),
                    to: "cim.orders.events.order.placed"
                )
            }
            let info = try await bench.jetStream.streamInfo("CIM_EVENTS")
            let condition7 = try await poll(10) {
                sampleValue(try await Self.samples(monitor), "cim_monitor_stream_sequence", ["stream": "CIM_EVENTS"]) ?? 0
                    >= Double(info.state.lastSeq)
            }
            #expect(condition7)
            #expect(events.count("nats.health_poll_failed") == 1)
            let failed = events.all.first { $0.name == "nats.health_poll_failed" }?.body ?? ""
            #expect(failed.contains("\"reason\":\"auth\""))
            let metrics = try await httpGet(port: monitor.port, path: "/metrics").text
            for text in [metrics, monitor.stdout, monitor.stderr] + events.all.map(\.body) {
                #expect(!text.contains(secret))
            }
        }
    }

    @Test func natsStatusReportsTheClusterAndExitsByItsHealth() async throws {
        try await withHealthCluster { bench in
            var arguments = ["nats", "status", "--system-user", NATSCluster.systemUser, "--system-password", NATSCluster.systemPassword]
            for url in bench.cluster.urls { arguments += ["--server", url] }
            let healthy = try await MonitorProcess.run(arguments + ["--json", "--health-interval", "0.2s"])
            #expect(healthy.status == 0, "\(healthy.stderr)")
            let report = try JSONParser.parse(healthy.stdout)
            #expect(report["health"]?.string == "healthy")
            #expect(report["servers"]?.array?.count == 3)
            #expect(report["streams"]?.array?.compactMap { $0["name"]?.string }.contains("ORDERS") == true)
            #expect(report["consumers"]?.array?.count == 2)
            #expect(!healthy.stdout.contains(NATSCluster.systemPassword))

            // The same through the system account's NKEY user, the seed read from a file.
            let seedFile = FileManager.default.temporaryDirectory.appendingPathComponent("health-sys-\(UUID().uuidString).nk")
            try bench.cluster.systemNKey.seed.write(to: seedFile, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: seedFile) }
            var nkeyArguments = ["nats", "status", "--json", "--health-interval", "0.2s", "--system-nkey", seedFile.path]
            for url in bench.cluster.urls { nkeyArguments += ["--server", url] }
            let withNKey = try await MonitorProcess.run(nkeyArguments)
            #expect(withNKey.status == 0, "\(withNKey.stderr)")
            #expect(try JSONParser.parse(withNKey.stdout)["servers"]?.array?.count == 3)
            #expect(!withNKey.stdout.contains(bench.cluster.systemNKey.seed) && !withNKey.stderr.contains(bench.cluster.systemNKey.seed))

            let table = try await MonitorProcess.run(arguments + ["--health-interval", "0.2s"])
            #expect(table.status == 0)
            #expect(table.stdout.contains("leader") && table.stdout.contains("ORDERS") && table.stdout.contains("worker"))

            let victim = bench.cluster.servers[2]
            victim.stop()
            var withMonitor = arguments + ["--health-interval", "0.2s", "--expected-servers", "3"]
            for url in bench.cluster.monitorURLs { withMonitor += ["--nats-monitor", url] }
            let degraded = try await MonitorProcess.run(withMonitor)
            #expect(degraded.status == 1, "\(degraded.stdout)\n\(degraded.stderr)")
            // This process never saw the stopped node answer: it is down under its monitoring URL.
            #expect(degraded.stdout.contains("DOWN") && degraded.stdout.contains(victim.monitorURL))

            let unreachable = try await MonitorProcess.run(["nats", "status", "--nats-monitor", "http://127.0.0.1:1", "--health-interval", "0.2s"])
            #expect(unreachable.status == 2)
            #expect(unreachable.stderr.hasPrefix("error: no NATS server answered"))
            let nothing = try await MonitorProcess.run(["nats", "status"])
            #expect(nothing.status != 0 && nothing.stderr.hasPrefix("error: nothing to poll"))
        }
    }
}

/// Collects a monitor's self-events from the cluster.
final class SelfEvents: Sendable {
    private final class Received: Sendable {
        let items = Mutex<[(name: String, body: String)]>([])
    }

    private let received = Received()
    let task: Task<Void, Never>

    init(_ client: NATSClient, instance: String) async throws {
        let subscription = try await client.subscribe(to: "cim.monitor.\(instance).>")
        try await client.flush()
        let received = self.received
        task = Task {
            for await message in subscription {
                let name = message.subject.split(separator: ".").dropFirst(3).joined(separator: ".")
                received.items.withLock { $0.append((name, message.string)) }
            }
        }
    }

    func count(_ name: String) -> Int { received.items.withLock { $0.filter { $0.name == name }.count } }
    var all: [(name: String, body: String)] { received.items.withLock { $0 } }
}
