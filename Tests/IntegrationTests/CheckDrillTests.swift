import Foundation
import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Testing

/// `cim-monitor check` against real components: a nats-server with an event stream, a durable consumer, a running
/// `serve` (its snapshots in `CIM_MONITOR`) and a GPU agent's samples; ok when all is well, warn and critical by the
/// thresholds, one line per check, exit status 0, 1 or 2 by the worst, and the same as JSON.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CheckDrillTests {
    struct Report: Decodable {
        struct Check: Decodable {
            var check: String
            var status: String
            var figure: String
            var action: String
        }
        var status: String
        var checks: [Check]
    }

    static func check(_ server: NATSServer, _ arguments: [String] = []) async throws -> ProgramRun {
        try await CommandRunner.run(try CommandRunner.cimMonitor(), ["check", "--server", server.url] + arguments)
    }

    static func line(_ run: ProgramRun, _ check: String) -> String? {
        run.outputText.split(separator: "\n").map(String.init).first { $0.dropFirst(9).hasPrefix(check + " ") }
    }

    @Test func aHealthySystemIsOkAndThresholdsTurnItWarnThenCritical() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let jetStream = JetStream(client: client)
        try await jetStream.createStream(StreamConfig(name: "CIM_EVENTS", subjects: ["cim.orders.events.>"]))
        try await jetStream.createStream(StreamConfig(name: "GPU", subjects: ["cim.gpu.>"]))
        for index in 0..<50 {
            try await jetStream.publish(ByteBuffer(string: #"{"n":\#(index)}"#), to: "cim.orders.events.order.placed")
        }
        try await jetStream.publish(ByteBuffer(string: #"{"gpu":"GPU-1"}"#), to: "cim.gpu.node-1.sampled")
        try await jetStream.publish(ByteBuffer(string: #"{"gpu":"GPU-2"}"#), to: "cim.gpu.node-2.sampled")
        try await jetStream.createConsumer(stream: "CIM_EVENTS", config: ConsumerConfig(durableName: "projection"))
        let monitor = try MonitorProcess(
            arguments: ["serve", "--server", server.url, "--instance", "check-a", "--stream", "CIM_EVENTS", "--snapshot-interval", "0.2"]
        )
        try monitor.start()
        defer { monitor.kill() }
        try await monitor.waitUntilServing()
        let saved = try await poll(20) { try await jetStream.streamInfo("KV_CIM_MONITOR").state.messages > 0 }
        try #require(saved, "serve saved no snapshot: \(monitor.stderr.suffix(1000))")

        let healthy = try await Self.check(server, ["--stream", "CIM_EVENTS", "--stream", "GPU"])
        #expect(healthy.status == 0, "\(healthy.outputText)\(healthy.error)")
        for name in [
            "nats", "cluster", "jetstream", "stream CIM_EVENTS", "stream GPU", "consumer CIM_EVENTS/projection", "monitor check-a", "gpu node-1",
            "gpu node-2",
        ] {
            let line = Self.line(healthy, name)
            #expect(line?.hasPrefix("ok ") == true, "\(name): \(line ?? "missing") in\n\(healthy.outputText)")
        }
        #expect(Self.line(healthy, "stream CIM_EVENTS")?.contains("50 messages, last") == true)
        #expect(Self.line(healthy, "consumer CIM_EVENTS/projection")?.contains("50 pending") == true)

        // The consumer's 50 pending messages pass a warning threshold of 10, then a critical one of 40.
        let lagging = try await Self.check(server, ["--consumer-pending-warn", "10", "--consumer-pending-critical", "100"])
        #expect(lagging.status == 1, "\(lagging.outputText)")
        let warn = Self.line(lagging, "consumer CIM_EVENTS/projection")
        #expect(warn?.hasPrefix("warn ") == true && warn?.contains("nats-recovery.md#natsconsumerlaghigh") == true, "\(warn ?? lagging.outputText)")
        let critical = try await Self.check(server, ["--consumer-pending-warn", "10", "--consumer-pending-critical", "40", "--json"])
        #expect(critical.status == 2)
        let report = try JSONDecoder().decode(Report.self, from: Data(critical.output))
        #expect(report.status == "critical")
        #expect(report.checks.first { $0.check == "consumer CIM_EVENTS/projection" }?.status == "critical")
        #expect(report.checks.first { $0.check == "nats" }?.status == "ok")

        // The same thresholds from the config file's check section; a flag still wins over its key.
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString).yaml")
        try "check:\n  consumer_pending_warn: 10\n  consumer_pending_critical: 100\n".write(to: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: config) }
        let fromFile = try await Self.check(server, ["--config", config.path])
        #expect(fromFile.status == 1, "\(fromFile.outputText)")
        #expect(Self.line(fromFile, "consumer CIM_EVENTS/projection")?.hasPrefix("warn ") == true, "\(fromFile.outputText)")
        let overridden = try await Self.check(server, ["--config", config.path, "--consumer-pending-warn", "60"])
        #expect(Self.line(overridden, "consumer CIM_EVENTS/projection")?.hasPrefix("ok ") == true, "\(overridden.outputText)")
        let contradictory = try await Self.check(server, ["--config", config.path, "--consumer-pending-warn", "1000"])
        #expect(contradictory.status != 0 && contradictory.error.contains("consumer-pending-warn is above consumer-pending-critical"))

        // Old GPU samples and a missing stream.
        try await Task.sleep(for: .milliseconds(1100))
        let stale = try await Self.check(
            server,
            ["--gpu-age-warn", "500ms", "--gpu-age-critical", "1h", "--stream", "CIM_EVENTS", "--stream", "MISSING"]
        )
        #expect(stale.status == 2)
        #expect(Self.line(stale, "gpu node-1")?.hasPrefix("warn ") == true, "\(stale.outputText)")
        let missing = Self.line(stale, "stream MISSING")
        #expect(missing?.hasPrefix("critical ") == true && missing?.contains(" missing — restore it") == true, "\(stale.outputText)")

        // A monitor that stopped saving.
        monitor.kill()
        try await Task.sleep(for: .milliseconds(1100))
        let stopped = try await Self.check(server, ["--snapshot-age-warn", "500ms", "--snapshot-age-critical", "1s", "--stream", "CIM_EVENTS"])
        #expect(Self.line(stopped, "monitor check-a")?.hasPrefix("critical ") == true, "\(stopped.outputText)")
        await client.close()
    }

    @Test func anUnreachableServerIsCriticalOnOneLine() async throws {
        let port = FreePort.next()
        let run = try await CommandRunner.run(try CommandRunner.cimMonitor(), ["check", "--server", "nats://127.0.0.1:\(port)"])
        #expect(run.status == 2)
        let lines = run.outputText.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("critical nats "), "\(run.outputText)")
        #expect(run.outputText.contains("docs/runbooks/nats-recovery.md#natsserverdown"))
    }

    @Test func noJetStreamIsCritical() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        let run = try await Self.check(server)
        #expect(run.status == 2)
        #expect(Self.line(run, "jetstream")?.hasPrefix("critical ") == true, "\(run.outputText)")
    }
}
