import Foundation
import NATS
import NATSCore
import NATSTestSupport
import Testing

/// No secret ever leaves the monitor: not in its self-events, not on stdout or stderr.
@Suite(.timeLimit(.minutes(1)))
struct SecretRedactionTests {
    /// Hardening: the `started` and `connected` self-events carried the server URL with its token in clear.
    @Test func selfEventsNeverCarryTheTokenOfTheServerURL() async throws {
        let token = "t0kenS3cret"
        let server = try NATSServer(extraConfiguration: "authorization { token: \(token) }")
        try server.start()
        defer { server.shutdown() }
        let client = try NATSClient(options: try NATSOptions(urls: ["nats://\(token)@127.0.0.1:\(server.port)"]))
        try await client.connect()
        let js = JetStream(client: client, timeout: 5)
        try await js.createStream(StreamConfig(name: "SELF", subjects: ["cim.monitor.>"]))
        let monitor = try MonitorProcess(arguments: [
            "serve", "--server", "nats://\(token)@127.0.0.1:\(server.port)", "--instance", "secret",
        ])
        defer { monitor.shutdown() }
        try monitor.start()
        try await monitor.waitUntilServing()
        var stored: UInt64 = 0
        for _ in 0..<100 where stored < 2 {
            try await Task.sleep(for: .milliseconds(100))
            stored = try await js.streamInfo("SELF").state.messages
        }
        #expect(await monitor.terminate() == 0)
        stored = try await js.streamInfo("SELF").state.messages
        #expect(stored >= 3, "started, connected, …, stopping")
        var kinds: [String] = []
        for sequence in 1...stored {
            let message = try await js.getMessage(stream: "SELF", sequence: sequence)
            let text = String(decoding: message.data, as: UTF8.self)
            kinds.append(String(message.subject.split(separator: ".").last ?? ""))
            #expect(!text.contains(token), "\(message.subject): \(text)")
        }
        #expect(kinds.contains("started") && kinds.contains("connected"), "\(kinds)")
        #expect(!monitor.stdout.contains(token) && !monitor.stderr.contains(token))
        await client.close()
    }
}
