import Foundation
import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Testing

/// `serve` in the order a bad boot day brings: started before its NATS server, with credentials the server refuses,
/// and stopped (SIGTERM) in every state. The regression tests of the hardening issue's first defect: a monitor
/// started before NATS never connected and ignored SIGTERM.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct BootOrderTests {
    static let stream = "BOOT_EVENTS"

    /// Hardening defect 1: `serve` started before NATS must connect once NATS is up, be ready within 10 s of the
    /// server's start, and count exactly.
    @Test func serveStartedBeforeNATSConnectsAndCountsExactly() async throws {
        let server = try NATSServer()
        defer { server.stop() }
        // The stream and its events are on disk before the monitor starts; the server is then down while it boots.
        try server.start()
        let published = 750
        try await Self.publishEvents(to: server, count: published)
        server.stop()

        let monitor = try MonitorProcess(arguments: ["serve", "--server", server.url, "--instance", "early", "--stream", Self.stream])
        defer { monitor.shutdown() }
        try monitor.start()
        try await monitor.waitUntilServing()
        try await Task.sleep(for: .seconds(3))
        let notReady = try await httpGet(port: monitor.port, path: "/readyz", timeout: 2)
        #expect(notReady.status == 503)

        try server.start()
        let started = Date()
        var ready = false
        while Date().timeIntervalSince(started) < 10 {
            if let reply = try? await httpGet(port: monitor.port, path: "/readyz", timeout: 1), reply.status == 200 {
                ready = true
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(ready, "not ready 10 s after nats-server started; stderr: \(monitor.stderr.suffix(1000))")
        let metrics = try await httpGet(port: monitor.port, path: "/metrics", timeout: 5)
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(Self.sum("cim_events_total", in: text) == Double(published), "\(text.prefix(3000))")
        #expect(!monitor.stderr.contains("already called"), "\(monitor.stderr)")
        #expect(await monitor.terminate(timeout: 5) == 0)
    }

    /// Hardening defect 1: a wrong password is retried, never printed, and SIGTERM still stops the monitor.
    @Test func wrongCredentialsAreRetriedQuietlyAndSIGTERMStillStops() async throws {
        let server = try NATSServer(extraConfiguration: "authorization { user: monitor, password: rightpw }")
        defer { server.stop() }
        try server.start()
        let monitor = try MonitorProcess(arguments: [
            "serve", "--server", "nats://monitor:wr0ngSecret@127.0.0.1:\(server.port)", "--instance", "auth",
        ])
        defer { monitor.shutdown() }
        try monitor.start()
        try await monitor.waitUntilServing()
        try await Task.sleep(for: .seconds(2))
        let stopped = Date()
        let status = await monitor.terminate(timeout: 5)
        #expect(status == 0, "SIGTERM did not stop serve within 5 s while its credentials are refused")
        #expect(Date().timeIntervalSince(stopped) < 5)
        #expect(monitor.stderr.contains("NATS is not reachable"), "\(monitor.stderr)")
        #expect(!monitor.stderr.contains("wr0ngSecret"), "a password was printed: \(monitor.stderr)")
        #expect(monitor.stderr.split(separator: "\n").count == 1, "\(monitor.stderr)")
    }

    /// SIGTERM ends `serve` within 5 s in every state: connecting to nothing, waiting for a stream to appear,
    /// folding, and reconnecting after NATS went away (the last snapshot cannot be saved then).
    @Test(arguments: [StopState.connecting, .waitingForDiscovery, .folding, .reconnecting])
    func sigtermStopsServeWithinFiveSeconds(_ state: StopState) async throws {
        let server = try NATSServer()
        defer { server.stop() }
        if state != .connecting { try server.start() }
        if state == .folding || state == .reconnecting { try await Self.publishEvents(to: server, count: 200) }
        var arguments = ["serve", "--server", server.url, "--instance", "stop-\(state.rawValue)"]
        if state == .folding || state == .reconnecting { arguments += ["--stream", Self.stream] }
        let monitor = try MonitorProcess(arguments: arguments)
        defer { monitor.shutdown() }
        try monitor.start()
        try await monitor.waitUntilServing()
        if state == .folding || state == .reconnecting {
            var ready = false
            for _ in 0..<100 where !ready {
                ready = (try? await httpGet(port: monitor.port, path: "/readyz", timeout: 1))?.status == 200
                if !ready { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(ready, "\(monitor.stderr.suffix(1000))")
        } else {
            try await Task.sleep(for: .seconds(1.5))
        }
        if state == .reconnecting {
            server.stop()
            try await Task.sleep(for: .seconds(1))
        }
        let stopped = Date()
        let status = await monitor.terminate(timeout: 5)
        let took = Date().timeIntervalSince(stopped)
        #expect(status == 0, "\(state): not stopped within 5 s (\(took) s); stderr: \(monitor.stderr.suffix(1000))")
        #expect(took < 5, "\(state): \(took) s")
    }

    /// SIGTERM while bcrypt checks of wrong passwords keep the verifier busy (cost 12, about 0.2 s each) still ends
    /// `serve` within 5 s.
    @Test func sigtermDuringBcryptChecksStopsServeWithinFiveSeconds() async throws {
        let server = try NATSServer()
        defer { server.stop() }
        try server.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bcrypt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("monitor.yaml")
        // bcrypt("bench-password"), cost 12.
        let hash = "$2b$12$JILEAWKEdu.EuEMop31veOOTNCFIHXT1z2kxyxpWs8N5fp9Hfv02q"
        try "http:\n  basic_auth_users:\n    prometheus: \"\(hash)\"\n".write(to: config, atomically: true, encoding: .utf8)
        let monitor = try MonitorProcess(arguments: ["serve", "--server", server.url, "--instance", "bcrypt", "--config", config.path])
        defer { monitor.shutdown() }
        try monitor.start()
        try await monitor.waitUntilServing()
        let port = monitor.port
        let flood = Task {
            await withTaskGroup(of: Void.self) { group in
                for client in 0..<4 {
                    group.addTask {
                        var attempt = 0
                        while !Task.isCancelled {
                            attempt += 1
                            let credentials = Data("prometheus:wrong-\(client)-\(attempt)".utf8).base64EncodedString()
                            _ = try? await httpGet(port: port, path: "/metrics", headers: [("Authorization", "Basic \(credentials)")], timeout: 2)
                        }
                    }
                }
            }
        }
        defer { flood.cancel() }
        try await Task.sleep(for: .seconds(1.5))
        let stopped = Date()
        let status = await monitor.terminate(timeout: 5)
        let took = Date().timeIntervalSince(stopped)
        #expect(status == 0, "not stopped within 5 s during bcrypt checks (\(took) s): \(monitor.stderr.suffix(1000))")
        #expect(took < 5)
    }

    enum StopState: String, CustomTestStringConvertible, Sendable {
        case connecting, waitingForDiscovery, folding, reconnecting
        var testDescription: String { rawValue }
    }

    /// A `NATSClient` whose first `connect()` failed connects on a later call (it used to say "connect() was already
    /// called on this client" for ever).
    @Test func aClientWhoseConnectFailedCanConnectLater() async throws {
        let server = try NATSServer(jetStream: false)
        defer { server.stop() }
        let client = try NATSClient(options: try NATSOptions(urls: [server.url]))
        await #expect(throws: NATSError.self) { try await client.connect() }
        await #expect {
            try await client.connect()
        } throws: { error in
            "\(error)".contains("cannot connect to nats://127.0.0.1:\(server.port): connection refused")
        }
        try server.start()
        try await client.connect()
        #expect(client.isConnected)
        await #expect(throws: NATSError.self) { try await client.connect() }
        await client.close()
        await #expect { try await client.connect() } throws: { ($0 as? NATSError)?.code == .connectionClosed }
    }

    /// A token given in the URL (`nats://TOKEN@host`) authenticates as a token, as with nats.go.
    @Test func aTokenInTheURLAuthenticates() async throws {
        let server = try NATSServer(jetStream: false, extraConfiguration: "authorization { token: s3cretT0ken }")
        defer { server.stop() }
        try server.start()
        let client = try NATSClient(options: try NATSOptions(urls: ["nats://s3cretT0ken@127.0.0.1:\(server.port)"]))
        try await client.connect()
        #expect(client.isConnected)
        let shown = client.connectedServer?.description ?? "not connected"
        #expect(shown.hasPrefix("nats://***@") && !shown.contains("s3cret"), "\(shown)")
        await client.close()
    }

    // MARK: - Helpers

    static func publishEvents(to server: NATSServer, count: Int) async throws {
        let client = try await server.connectedClient()
        let jetStream = JetStream(client: client, timeout: 5)
        _ = try await jetStream.createOrUpdateStream(StreamConfig(name: stream, subjects: ["cim.boot.events.>"]))
        for index in 0..<count {
            let payload = "{\"event_id\":\"0190d6a0-0000-7000-8000-\(String(format: "%012d", index))\",\"event_type\":\"NodeAdded\"}"
            try await jetStream.publish(ByteBuffer(string: payload), to: "cim.boot.events.structure.node_added", messageID: "boot-\(index)")
        }
        await client.close()
    }

    /// The sum of a family's samples in Prometheus text.
    static func sum(_ family: String, in text: String) -> Double {
        var total = 0.0
        for line in text.split(separator: "\n") where line.hasPrefix(family + "{") || line.hasPrefix(family + " ") {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { total += value }
        }
        return total
    }
}
