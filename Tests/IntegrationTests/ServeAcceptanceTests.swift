import CIMSimulation
import EventMetrics
import Foundation
import Monitor
import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Synchronization
import Testing

/// The acceptance of `cim-monitor serve` (issue 5): the built binary against a real nats-server (and a real
/// Prometheus), with crashes, server restarts, an HA pair, the HTTP endpoints and the zero-log rule.
///
/// The events go to the stream `CIM_EVENTS` on `cim.*.events.>`, so the monitor's own events
/// (`cim.monitor.<instance>.<event>`) are not in it and the ground truth is exactly what the test published.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ServeAcceptanceTests {
    @Test(.timeLimit(.minutes(2)))
    func exactCountsAcrossMonitorCrashes() async throws {
        try await withBench { bench in
            let workload = Workload(count: 20_000, seed: 1)
            let monitor = try bench.monitor(instance: "crash")
            try monitor.start()
            try await monitor.waitUntilServing()
            let done = Flag()
            let publishing = Task {
                defer { done.set() }
                try await bench.publish(workload, chunk: 1000, pause: .milliseconds(200))
            }
            // SIGKILL at random moments (folding, catching up, saving a snapshot, starting) and restart at once.
            var killsWhilePublishing = 0
            var schedule: [String] = []
            while schedule.count < 6 {
                let wait = Double.random(in: 0.25...0.9)
                try await Task.sleep(for: .seconds(wait))
                let publishingNow = !done.value
                if !publishingNow && schedule.count >= 3 { break }
                monitor.kill()
                if publishingNow { killsWhilePublishing += 1 }
                schedule.append("\((wait * 100).rounded() / 100)s" + (publishingNow ? "" : " (after publishing)"))
                try monitor.start()
            }
            try await publishing.value
            #expect(killsWhilePublishing >= 3, "kills: \(schedule)")
            let info = try await bench.jetStream.streamInfo(Bench.stream)
            #expect(info.state.messages == UInt64(workload.events.count))
            try await expectExactCounts(monitor, workload, streamLastSequence: info.state.lastSeq, context: "kills after \(schedule)")
            #expect(monitor.stdout.isEmpty && monitor.stderr.isEmpty, "\(monitor.stderr.prefix(2000))")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func exactCountsAcrossNATSServerRestart() async throws {
        try await withBench { bench in
            let workload = Workload(count: 10_000, seed: 2)
            let monitor = try bench.monitor(instance: "restart")
            try monitor.start()
            try await monitor.waitUntilServing()
            let done = Flag()
            let publishing = Task {
                defer { done.set() }
                try await bench.publish(workload, chunk: 500, pause: .milliseconds(200))
            }
            for restart in 1...2 {
                try await Task.sleep(for: .seconds(0.8))
                bench.server.stop()
                try await Task.sleep(for: .seconds(0.5))
                try bench.server.start()
                // The next restart only once the monitor is back: on a loaded machine two restarts could otherwise
                // fall into one reconnect.
                let back = try await poll(15) {
                    guard let reply = try? await httpGet(port: monitor.port, path: "/metrics", timeout: 2) else { return false }
                    return sampleValue(PrometheusTools.samples(reply.text), "cim_monitor_nats_reconnects_total") ?? 0 >= Double(restart)
                }
                #expect(back, "the monitor did not reconnect after restart \(restart)")
            }
            #expect(!done.value, "the publisher finished before the restarts: the workload is too small to test anything")
            try await publishing.value
            let info = try await bench.jetStream.streamInfo(Bench.stream)
            #expect(info.state.messages == UInt64(workload.events.count))
            let samples = try await expectExactCounts(monitor, workload, streamLastSequence: info.state.lastSeq, context: "two restarts")
            #expect(sampleValue(samples, "cim_monitor_nats_reconnects_total") ?? 0 >= 2)
            #expect(sampleValue(samples, "cim_monitor_nats_connected") == 1)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func prometheusScrapesTheMonitor() async throws {
        try await withBench { bench in
            let workload = Workload(count: 2000, seed: 3)
            try await bench.publish(workload)
            let monitor = try bench.monitor(instance: "scraped")
            try monitor.start()
            try await monitor.waitUntilServing()
            _ = try await waitCaughtUp(monitor, streamLastSequence: UInt64(workload.events.count))
            let prometheus = try bench.prometheus(targets: ["cim-monitor": ["127.0.0.1:\(monitor.port)"]])
            try await prometheus.start()
            var up: [(labels: [String: String], value: Double)] = []
            var counts: [Labels: UInt64] = [:]
            var total: [(labels: [String: String], value: Double)] = []
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                up = try await prometheus.query("up{job=\"cim-monitor\"}")
                counts = [:]
                for (labels, value) in try await prometheus.query("cim_events_total{job=\"cim-monitor\"}") {
                    counts[Labels(labels), default: 0] += UInt64(value)
                }
                total = try await prometheus.query("sum(cim_events_total{job=\"cim-monitor\"})")
                if up.first?.value == 1 && counts == workload.truth && total.first?.value == Double(workload.events.count) { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(up.count == 1 && up.first?.value == 1, "up: \(up)\n\(prometheus.log.suffix(2000))")
            #expect(counts == workload.truth, "\(difference(counts, workload.truth))")
            #expect(total.first?.value == Double(workload.events.count))
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func readinessAndReconnectEvents() async throws {
        try await withBench { bench in
            // The monitor's own events are kept in a stream, so the test reads them whether its own client reconnects
            // before or after the monitor publishes `reconnected`.
            try await bench.jetStream.createStream(StreamConfig(name: "MONITOR_EVENTS", subjects: ["cim.monitor.ready.>"]))
            let workload = Workload(count: 300, seed: 4)
            try await bench.publish(workload)
            let monitor = try bench.monitor(instance: "ready")
            try monitor.start()
            try await monitor.waitUntilServing()
            let samples = try await waitCaughtUp(monitor, streamLastSequence: 300)
            #expect(eventCounts(samples) == workload.truth)

            let health = try await httpGet(port: monitor.port, path: "/healthz")
            #expect(health.status == 200 && health.text == "ok\n")
            let index = try await httpGet(port: monitor.port, path: "/")
            #expect(index.status == 200 && index.headers["content-type"]?.hasPrefix("text/html") == true)
            for endpoint in ["/metrics", "/healthz", "/readyz"] { #expect(index.text.contains("href=\"\(endpoint)\""), "\(endpoint)") }

            let text = try await httpGet(port: monitor.port, path: "/metrics")
            #expect(text.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(!text.text.contains("# EOF") && text.text.contains("# TYPE cim_events_total counter"))
            let open = try await httpGet(port: monitor.port, path: "/metrics", headers: [("Accept", "application/openmetrics-text; version=1.0.0")])
            #expect(open.headers["content-type"]?.hasPrefix("application/openmetrics-text") == true)
            #expect(open.text.hasSuffix("# EOF\n") && open.text.contains("# TYPE cim_events counter"))
            let gzip = try await httpGet(port: monitor.port, path: "/metrics", headers: [("Accept-Encoding", "gzip")])
            #expect(gzip.headers["content-encoding"] == "gzip")
            #expect(gzip.body.starts(with: [0x1f, 0x8b]))
            let unzipped = try gunzip(gzip.body)
            #expect(eventCounts(PrometheusTools.samples(unzipped)) == workload.truth)

            bench.server.stop()
            var down = HTTPReply(status: 0, headers: [:], body: [])
            #expect(
                try await poll(10) {
                    down = try await httpGet(port: monitor.port, path: "/readyz")
                    return down.status == 503
                }
            )
            #expect(down.text.hasPrefix("not ready: ") && down.text.contains("connect"), "\(down.text)")
            #expect(try await httpGet(port: monitor.port, path: "/healthz").status == 200)
            try bench.server.start()
            var ready = HTTPReply(status: 0, headers: [:], body: [])
            #expect(
                try await poll(20) {
                    ready = try await httpGet(port: monitor.port, path: "/readyz")
                    return ready.status == 200
                },
                "\(ready.text)"
            )
            var kinds: [String] = []
            #expect(
                try await poll(10) {
                    kinds = try await bench.selfEvents(instance: "ready").map(\.kind)
                    return kinds.contains("reconnected")
                },
                "self-events: \(kinds)"
            )
            #expect(kinds.starts(with: ["started", "connected"]))
            let disconnected = kinds.firstIndex(of: "disconnected")
            #expect(disconnected != nil && disconnected! < kinds.firstIndex(of: "reconnected")!, "\(kinds)")
            let reconnected = try await bench.selfEvents(instance: "ready").first { $0.kind == "reconnected" }
            #expect(reconnected?.payload["event_type"] == "reconnected" && reconnected?.payload["instance"] == "ready")
            #expect(reconnected?.payload["event_id"] != nil && reconnected?.payload["occurred_at"] != nil)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func zeroLog() async throws {
        try await withBench { bench in
            let workload = Workload(count: 500, seed: 5)
            try await bench.publish(workload)
            let subscription = try await bench.client.subscribe(to: "cim.monitor.quiet.>")
            let received = Locked<[String]>([])
            let collector = Task {
                for await message in subscription {
                    received.withLock { $0.append(String(message.subject.split(separator: ".").last ?? "")) }
                }
            }
            defer { collector.cancel() }
            // The defaults but the server: the monitor discovers CIM_EVENTS by its subjects.
            let monitor = try bench.monitor(instance: "quiet", streams: [], snapshotInterval: nil)
            try monitor.start()
            try await monitor.waitUntilServing()
            _ = try await waitCaughtUp(monitor, streamLastSequence: 500)
            let status = await monitor.terminate()
            #expect(status == 0)
            #expect(monitor.stdout.isEmpty, "stdout: \(monitor.stdout.prefix(2000))")
            #expect(monitor.stderr.isEmpty, "stderr: \(monitor.stderr.prefix(2000))")
            var kinds: [String] = []
            #expect(
                try await poll(5) {
                    kinds = received.withLock { $0 }
                    return kinds.contains("stopping")
                },
                "self-events: \(kinds)"
            )
            #expect(kinds.last == "stopping", "\(kinds)")
            for kind in ["started", "connected", "stream_discovered", "snapshot_saved"] { #expect(kinds.contains(kind), "\(kind): \(kinds)") }
            let store = try await bench.jetStream.keyValue(bucket: "CIM_MONITOR")
            let entry = try #require(try await store.get("quiet.\(Bench.stream)"))
            let fold = try MetricsFold(snapshot: entry.value)
            #expect(fold.lastSequence == 500)
        }
    }

    /// A fresh deployment: the monitor is stopped before any event stream exists (nothing to fold, discovery waiting).
    @Test(.timeLimit(.minutes(1)))
    func aStopBeforeAnyStreamExistsIsGraceful() async throws {
        try await withBench(eventStream: false) { bench in
            let subscription = try await bench.client.subscribe(to: "cim.monitor.early.>")
            let received = Locked<[String]>([])
            let collector = Task {
                for await message in subscription {
                    received.withLock { $0.append(String(message.subject.split(separator: ".").last ?? "")) }
                }
            }
            defer { collector.cancel() }
            let monitor = try bench.monitor(instance: "early", streams: [])
            try monitor.start()
            try await monitor.waitUntilServing()
            #expect(try await poll(5) { received.withLock { $0.contains("connected") } })
            let status = await monitor.terminate()
            #expect(status == 0, "stderr: \(monitor.stderr.prefix(2000))")
            #expect(monitor.stdout.isEmpty && monitor.stderr.isEmpty, "stderr: \(monitor.stderr.prefix(2000))")
            #expect(try await poll(5) { received.withLock { $0.last == "stopping" } }, "\(received.withLock { $0 })")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func highAvailabilityPairCountsTheSame() async throws {
        try await withBench { bench in
            let workload = Workload(count: 4000, seed: 6)
            let first = try bench.monitor(instance: "ha-a")
            let second = try bench.monitor(instance: "ha-b")
            try first.start()
            try second.start()
            try await first.waitUntilServing()
            try await second.waitUntilServing()
            try await bench.publish(workload, chunk: 500, pause: .milliseconds(50))
            let last = UInt64(workload.events.count)
            let a = try await waitCaughtUp(first, streamLastSequence: last)
            let b = try await waitCaughtUp(second, streamLastSequence: last)
            #expect(eventCounts(a) == eventCounts(b))
            #expect(failureCounts(a) == failureCounts(b))
            #expect(eventCounts(a) == workload.truth, "\(difference(eventCounts(a), workload.truth))")
            #expect(failureCounts(a) == workload.failures)
            let store = try await bench.jetStream.keyValue(bucket: "CIM_MONITOR")
            try await Task.sleep(for: .seconds(0.7))
            #expect(try await store.get("ha-a.\(Bench.stream)") != nil)
            #expect(try await store.get("ha-b.\(Bench.stream)") != nil)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func badListenAddressExitsWithOneLine() async throws {
        for listen in ["nowhere", "127.0.0.1:http", "127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:-1"] {
            let run = try await MonitorProcess.run(["serve", "--server", "nats://127.0.0.1:1", "--instance", "x", "--listen", listen], timeout: 10)
            #expect(run.status == 1, "\(listen): \(run.stderr)")
            #expect(run.stdout.isEmpty)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.hasPrefix("error: ") == true && run.stderr.contains(listen), "\(listen): \(run.stderr)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func badFlagsAreRefused() async throws {
        for arguments in [["--snapshot-interval", "0"], ["--start", "sometimes"], ["--snapshot-interval", "soon"]] {
            let run = try await MonitorProcess.run(["serve", "--server", "nats://127.0.0.1:1", "--listen", "127.0.0.1:1"] + arguments)
            #expect(run.status != nil && run.status != 0, "\(arguments): \(run.status.map(String.init) ?? "killed")")
            #expect(run.stderr.contains(arguments[0]), "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }

    /// Before: the error was NIO's `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`, without the address.
    @Test(.timeLimit(.minutes(1)))
    func aListenPortInUseIsOneLineNamingTheAddress() async throws {
        try await withBench { bench in
            let occupied = FreePort.occupy()
            defer { occupied.release() }
            let run = try await MonitorProcess.run(
                ["serve", "--server", bench.server.url, "--instance", "busy", "--listen", "127.0.0.1:\(occupied.port)"],
                timeout: 15
            )
            #expect(run.status == 1, "\(run.status.map(String.init) ?? "still running after 15s"): \(run.stderr)")
            #expect(run.stderr == "error: cannot listen on 127.0.0.1:\(occupied.port): address already in use\n")
            #expect(run.stdout.isEmpty)
        }
    }

    /// Before: `basic_auth_user:` (singular) was ignored and `serve` ran without authentication.
    @Test(.timeLimit(.minutes(1)))
    func aConfigTypoIsRefusedAtStartUp() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cim-monitor-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("monitor.yaml").path
        let hash = "$2b$12$" + String(repeating: "x", count: 53)
        try Data("http:\n  basic_auth_user:\n    prometheus: \"\(hash)\"\n".utf8).write(to: URL(fileURLWithPath: path))
        let run = try await MonitorProcess.run(["serve", "--server", "nats://127.0.0.1:1", "--config", path, "--listen", "127.0.0.1:0"], timeout: 10)
        #expect(run.status == 1)
        #expect(run.stderr == "error: \(path):2: unknown key `http.basic_auth_user`; did you mean `basic_auth_users`?\n")
        #expect(run.stdout.isEmpty)
    }
}

// MARK: - The bench: a nats-server with the event stream, a test client, and everything a test starts

/// What one test runs against: a nats-server with the stream `CIM_EVENTS` (unless told otherwise) and a
/// connected client; `withBench` stops every process and removes every directory at the end.
final class Bench: @unchecked Sendable {
    // @unchecked: used by one test at a time; `owned` is only touched from the test's own task.
    static let stream = "CIM_EVENTS"
    let server: NATSServer
    let client: NATSClient
    let jetStream: JetStream
    private var monitors: [MonitorProcess] = []
    private var prometheuses: [PrometheusProcess] = []

    init(eventStream: Bool) async throws {
        server = try NATSServer()
        try server.start()
        client = try await server.connectedClient()
        jetStream = JetStream(client: client, timeout: 2)
        if eventStream { try await jetStream.createStream(StreamConfig(name: Self.stream, subjects: ["cim.*.events.>"])) }
    }

    /// A monitor process (not started) on this server, folding `streams` (none: discover them), snapshotting every
    /// `snapshotInterval` seconds (`nil`: the default).
    func monitor(instance: String, streams: [String] = [Bench.stream], snapshotInterval: Double? = 0.5) throws -> MonitorProcess {
        var arguments = ["serve", "--server", server.url, "--instance", instance]
        if let snapshotInterval { arguments += ["--snapshot-interval", String(snapshotInterval)] }
        for stream in streams { arguments += ["--stream", stream] }
        let monitor = try MonitorProcess(arguments: arguments)
        monitors.append(monitor)
        return monitor
    }

    func prometheus(targets: [String: [String]]) throws -> PrometheusProcess {
        let prometheus = try PrometheusProcess(targets: targets)
        prometheuses.append(prometheus)
        return prometheus
    }

    /// Publishes every event exactly once, `chunk` at a time with `pause` between chunks.
    ///
    /// Each event carries its id as `Nats-Msg-Id` and is retried until acknowledged, so a publish lost in a
    /// server restart is sent again and one that was stored after all is dropped by the stream's duplicate window.
    func publish(_ workload: Workload, chunk: Int = 1000, pause: Duration = .zero) async throws {
        let jetStream = self.jetStream
        for start in stride(from: 0, to: workload.events.count, by: chunk) {
            let events = workload.events[start..<min(start + chunk, workload.events.count)]
            let next = Locked(events.startIndex)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        while let index = next.withLock({ index -> Int? in
                            guard index < events.endIndex else { return nil }
                            defer { index += 1 }
                            return index
                        }) {
                            let event = events[index]
                            var attempts = 0
                            while true {
                                do {
                                    try await jetStream.publish(ByteBuffer(bytes: event.payload), to: event.subject, messageID: event.id)
                                    break
                                } catch {
                                    attempts += 1
                                    if attempts >= 400 { throw error }
                                    try await Task.sleep(for: .milliseconds(25))
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            if pause > .zero { try await Task.sleep(for: pause) }
        }
    }

    /// The self-events of `instance` that the `MONITOR_EVENTS` stream holds, oldest first.
    func selfEvents(instance: String) async throws -> [(kind: String, payload: [String: String])] {
        let info = try await jetStream.streamInfo("MONITOR_EVENTS")
        guard info.state.messages > 0 else { return [] }
        var result: [(kind: String, payload: [String: String])] = []
        let consumer = jetStream.orderedConsumer(
            stream: "MONITOR_EVENTS",
            filterSubjects: ["cim.monitor.\(instance).>"],
            stopAt: info.state.lastSeq
        )
        for try await message in consumer {
            let kind = String(message.subject.split(separator: ".").last ?? "")
            let payload = (try? JSONSerialization.jsonObject(with: Data(message.payload.readableBytesView))) as? [String: String] ?? [:]
            result.append((kind, payload))
        }
        return result
    }

    func close() async {
        for monitor in monitors { monitor.shutdown() }
        for prometheus in prometheuses { prometheus.shutdown() }
        await client.close()
        server.shutdown()
    }
}

/// Runs `body` with a fresh bench and cleans it up, whether `body` succeeds or throws.
func withBench(eventStream: Bool = true, _ body: (Bench) async throws -> Void) async throws {
    let bench = try await Bench(eventStream: eventStream)
    do {
        try await body(bench)
    } catch {
        await bench.close()
        throw error
    }
    await bench.close()
}

/// A flag set by one task and read by another.
private final class Flag: Sendable {
    private let state = Mutex(false)
    var value: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}

/// A value shared between tasks.
final class Locked<Value: Sendable>: Sendable {
    private let state: Mutex<Value>
    init(_ value: Value) { state = Mutex(value) }
    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result { state.withLock { body(&$0) } }
}

// MARK: - The workload and its ground truth

/// The labels of a `cim_events_total` series.
struct Labels: Hashable, CustomStringConvertible {
    var domain: String
    var aggregateType: String
    var eventType: String

    init(_ domain: String, _ aggregateType: String, _ eventType: String) {
        self.domain = domain
        self.aggregateType = aggregateType
        self.eventType = eventType
    }

    init(_ labels: [String: String]) {
        self.init(labels["domain"] ?? "", labels["aggregate_type"] ?? "", labels["event_type"] ?? "")
    }

    var description: String { "\(domain)/\(aggregateType)/\(eventType)" }
}

/// The labels of a `cim_events_failed_total` series.
struct FailureLabels: Hashable, CustomStringConvertible {
    var event: Labels
    var errorType: String

    var description: String { "\(event)/\(errorType)" }
}

/// A deterministic CIM workload on `cim.<domain>.events.<aggregate>.<event>` subjects, with its ground truth.
struct Workload {
    struct Event: Sendable {
        var subject: String
        var id: String
        var payload: [UInt8]
    }

    static let shapes: [(domain: String, aggregate: String, events: [String])] = [
        ("orders", "order", ["placed", "paid", "shipped", "payment_failed"]),
        ("billing", "invoice", ["issued", "settled", "rejected"]),
        ("inventory", "item", ["reserved", "released", "restocked"]),
        ("identity", "person", ["registered", "name_changed"]),
        ("agents", "agent", ["started", "task_completed", "task_failed"]),
        ("agents", "gpu_allocation", ["requested", "granted"]),
        ("workflow", "run", ["started", "completed", "timed_out"]),
    ]

    let events: [Event]
    /// What `cim_events_total` must say.
    let truth: [Labels: UInt64]
    /// What `cim_events_failed_total` must say.
    let failures: [FailureLabels: UInt64]

    init(count: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var events: [Event] = []
        var truth: [Labels: UInt64] = [:]
        var failures: [FailureLabels: UInt64] = [:]
        events.reserveCapacity(count)
        let now = Date().timeIntervalSince1970
        for index in 0..<count {
            let shape = Self.shapes[Int(random.next() % UInt64(Self.shapes.count))]
            let event = shape.events[Int(random.next() % UInt64(shape.events.count))]
            let id = Self.uuid(random.next(), random.next())
            var fields = [
                "\"event_id\":\"\(id)\"", "\"aggregate_id\":\"\(Self.uuid(random.next(), random.next()))\"",
                "\"occurred_at\":\(String(format: "%.3f", now + Double(index) / 1000))",
            ]
            let labels = Labels(shape.domain, shape.aggregate, event)
            truth[labels, default: 0] += 1
            if ["failed", "rejected", "timed_out"].contains(where: { event.contains($0) }) {
                let errorType: String
                switch random.next() % 3 {
                case 0:
                    errorType = ["timeout", "validation", "upstream_unavailable"][Int(random.next() % 3)]
                    fields.append("\"error_type\":\"\(errorType)\"")
                case 1:
                    errorType = ["conflict", "quota"][Int(random.next() % 2)]
                    fields.append("\"error\":{\"kind\":\"\(errorType)\",\"message\":\"free text never becomes a label\"}")
                default:
                    errorType = "unknown"
                    fields.append("\"error\":\"something went wrong\"")
                }
                failures[FailureLabels(event: labels, errorType: errorType), default: 0] += 1
            }
            events.append(
                Event(
                    subject: "cim.\(shape.domain).events.\(shape.aggregate).\(event)",
                    id: id,
                    payload: Array("{\(fields.joined(separator: ","))}".utf8)
                )
            )
        }
        self.events = events
        self.truth = truth
        self.failures = failures
    }

    static func uuid(_ high: UInt64, _ low: UInt64) -> String {
        let hex = String(high, radix: 16).leftPadded(16) + String(low, radix: 16).leftPadded(16)
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}

extension String {
    fileprivate func leftPadded(_ length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}

// MARK: - Reading the monitor

typealias Sample = PrometheusTools.Sample

func eventCounts(_ samples: [Sample]) -> [Labels: UInt64] {
    var counts: [Labels: UInt64] = [:]
    for sample in samples where sample.name == "cim_events_total" { counts[Labels(sample.labels), default: 0] += UInt64(sample.value) }
    return counts
}

private func failureCounts(_ samples: [Sample]) -> [FailureLabels: UInt64] {
    var counts: [FailureLabels: UInt64] = [:]
    for sample in samples where sample.name == "cim_events_failed_total" {
        counts[FailureLabels(event: Labels(sample.labels), errorType: sample.labels["error_type"] ?? ""), default: 0] += UInt64(sample.value)
    }
    return counts
}

/// The value of the sample `name` whose labels include `labels`.
func sampleValue(_ samples: [Sample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
    samples.first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
}

/// The series whose counts differ, for failure messages.
func difference(_ actual: [Labels: UInt64], _ expected: [Labels: UInt64]) -> String {
    let keys = Set(actual.keys).union(expected.keys).filter { actual[$0] != expected[$0] }
    return keys.sorted { $0.description < $1.description }.prefix(20)
        .map { "\($0): got \(actual[$0].map(String.init) ?? "none"), expected \(expected[$0].map(String.init) ?? "none")" }
        .joined(separator: "\n")
}

/// Polls `condition` every 100 ms until it holds or `seconds` pass.
func poll(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? await condition()) == true { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

/// Waits until the monitor is ready and has folded the stream up to `streamLastSequence`; returns its samples then.
func waitCaughtUp(
    _ monitor: MonitorProcess,
    streamLastSequence: UInt64,
    stream: String = Bench.stream,
    timeout: Double = 30
) async throws
    -> [Sample]
{
    var samples: [Sample] = []
    var readiness = ""
    let caughtUp = try await poll(timeout) {
        let ready = try await httpGet(port: monitor.port, path: "/readyz")
        readiness = "\(ready.status) \(ready.text)"
        if ready.status == 503 { #expect(ready.text.hasPrefix("not ready: "), "\(ready.text)") }
        guard ready.status == 200 else { return false }
        let reply = try await httpGet(port: monitor.port, path: "/metrics")
        samples = PrometheusTools.samples(reply.text)
        return sampleValue(samples, "cim_monitor_stream_sequence", ["stream": stream]) == Double(streamLastSequence)
    }
    guard caughtUp else {
        let sequence = sampleValue(samples, "cim_monitor_stream_sequence", ["stream": stream]).map { String($0) } ?? "none"
        throw ServeTestError(
            message: """
                the monitor did not catch up to sequence \(streamLastSequence) in \(timeout)s: /readyz \(readiness), \
                folded \(sequence), running \(monitor.isRunning)
                stderr: \(monitor.stderr.suffix(2000))
                """
        )
    }
    return samples
}

/// Checks every count of the caught-up monitor against the workload's ground truth; returns the samples.
@discardableResult
private func expectExactCounts(_ monitor: MonitorProcess, _ workload: Workload, streamLastSequence: UInt64, context: String) async throws -> [Sample]
{
    let samples = try await waitCaughtUp(monitor, streamLastSequence: streamLastSequence)
    let counts = eventCounts(samples)
    #expect(counts == workload.truth, "\(context):\n\(difference(counts, workload.truth))")
    #expect(counts.values.reduce(0, +) == UInt64(workload.events.count), "\(context)")
    #expect(failureCounts(samples) == workload.failures, "\(context)")
    #expect(sampleValue(samples, "cim_monitor_events_processed_total") == Double(workload.events.count), "\(context)")
    #expect(sampleValue(samples, "cim_monitor_events_missed_total", ["stream": Bench.stream]) == 0, "\(context)")
    #expect(samples.filter { $0.name == "cim_event_duplicates_total" }.allSatisfy { $0.value == 0 }, "\(context)")
    return samples
}

/// Decompresses gzip bytes with the system's `gzip`.
private func gunzip(_ bytes: [UInt8]) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gunzip-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("body.gz")
    try Data(bytes).write(to: input)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -dc \"$0\" > \"$0.out\"", input.path]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw ServeTestError(message: "the gzip body does not decompress") }
    return try String(contentsOf: directory.appendingPathComponent("body.gz.out"), encoding: .utf8)
}

/// A test's own failure with a message.
struct ServeTestError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
