import Foundation
import NATSTestSupport

/// A live CIM Monitor for the deploy tests: a real nats-server with JetStream, `cim-monitor serve` folding the stream
/// `CIM_EVENTS` (and watching the server's health), and `cim-monitor simulate` publishing the workload into it.
final class LiveStack: @unchecked Sendable {
    // @unchecked: the processes are only touched from the test that owns the stack, one call at a time.
    static let stream = "CIM_EVENTS"

    let nats: NATSServer
    let monitor: MonitorProcess

    init(instance: String) throws {
        nats = try NATSServer()
        // The health collector polls the server's HTTP monitoring endpoints twice a second.
        monitor = try MonitorProcess(arguments: [
            "serve", "--server", nats.url, "--stream", Self.stream, "--instance", instance, "--nats-monitor", nats.monitorURL,
            "--health-interval", "500ms",
        ])
    }

    /// Starts nats-server, creates the stream with one message, starts `serve` and waits until it is ready, so the
    /// events published next are folded live (and so observed in `cim_event_lag_seconds`).
    func start() async throws {
        try nats.start()
        try await simulate(count: 1, seed: 1)
        try monitor.start()
        try await monitor.waitUntilServing()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? await httpGet(port: monitor.port, path: "/readyz", timeout: 1))?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw LiveStackError(message: "serve did not become ready:\n\(monitor.stderr.suffix(2000))")
    }

    /// Publishes `count` messages of the simulated workload at a steady `rate` (0: as fast as acks allow).
    func simulate(count: Int, rate: Double = 0, failureRate: Double? = nil, seed: UInt64) async throws {
        var arguments = [
            "simulate", "--server", nats.url, "--stream", Self.stream, "--create-stream", "--count", String(count), "--rate", String(rate),
            "--steady", "--seed", String(seed), "--progress-interval", "0",
        ]
        if let failureRate { arguments += ["--failure-rate", String(failureRate)] }
        let run = try await MonitorProcess.run(arguments, timeout: 60)
        guard run.status == 0 else {
            throw LiveStackError(message: "simulate failed (\(run.status.map(String.init) ?? "killed")): \(run.stderr.suffix(1000))")
        }
    }

    /// Waits until `serve` has folded at least `messages` messages.
    func waitFolded(_ messages: Int, timeout: Double = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var folded = 0.0
        while Date() < deadline {
            let samples = PrometheusTools.samples(try await metrics())
            folded = samples.first { $0.name == "cim_monitor_events_processed_total" }?.value ?? 0
            if folded >= Double(messages) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw LiveStackError(message: "serve folded \(folded) of \(messages) messages within \(timeout)s")
    }

    /// The exposition `serve` answers now.
    func metrics() async throws -> String {
        let reply = try await httpGet(port: monitor.port, path: "/metrics", timeout: 5)
        guard reply.status == 200 else { throw LiveStackError(message: "/metrics answered \(reply.status)") }
        return reply.text
    }

    func shutdown() {
        monitor.shutdown()
        nats.shutdown()
    }
}

/// The live stack misbehaved.
struct LiveStackError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
