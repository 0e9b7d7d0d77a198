import Foundation
import NATS
import NATSCore
import NATSTestSupport
import Testing

/// The client and the CLI against something that is not a well-behaved nats-server: a protocol error with a one-line
/// message, never a crash.
@Suite(.timeLimit(.minutes(1)))
struct HostileServerClientTests {
    static let hugeMaxPayload =
        "INFO {\"server_id\":\"EVIL\",\"version\":\"2.15.1\",\"max_payload\":9223372036854775807,\"headers\":true}\r\n"

    /// Hardening defect 2: `INFO {…"max_payload":9223372036854775807}` crashed every client with an arithmetic overflow.
    @Test func aHugeMaxPayloadInINFOIsAProtocolErrorNotACrash() async throws {
        let server = ScriptedServer(greeting: Self.hugeMaxPayload)
        defer { server.stop() }
        let client = try NATSClient(options: try NATSOptions(urls: [server.url]))
        await #expect {
            try await client.connect()
        } throws: { error in
            (error as? NATSError)?.code == .protocolViolation && "\(error)".contains("max_payload")
        }
        await client.close()
    }

    /// The same through the command line: `nats sub` exits 1 with one line (it died with SIGILL, status 132).
    @Test func natsSubAgainstAHostileINFOExitsWithOneLine() async throws {
        let server = ScriptedServer(greeting: Self.hugeMaxPayload)
        defer { server.stop() }
        let run = try await MonitorProcess.run(["nats", "sub", "x", "--server", server.url, "--count", "1"], timeout: 20)
        #expect(run.status == 1, "status \(run.status.map(String.init) ?? "killed"): \(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1 && run.stderr.contains("max_payload"), "\(run.stderr)")
    }

    /// Connection errors say what happened in the user's words, not NIO's (`SingleConnectionFailure(target: [IPv4]…)`).
    @Test func aRefusedConnectionSaysConnectionRefused() async throws {
        let port = FreePort.next()
        let run = try await MonitorProcess.run(["stream", "ls", "--server", "nats://127.0.0.1:\(port)"], timeout: 20)
        #expect(run.status == 1)
        #expect(run.stderr.contains("cannot connect to nats://127.0.0.1:\(port): connection refused"), "\(run.stderr)")
        #expect(!run.stderr.contains("SingleConnectionFailure") && !run.stderr.contains("IPv4"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }

    /// `--server nats//host:4222` (a colon missing) is refused with a hint, not taken as the host `nats`.
    @Test func aMistypedServerURLIsRefusedWithAHint() async throws {
        let run = try await MonitorProcess.run(["stream", "ls", "--server", "nats//127.0.0.1:4222"], timeout: 20)
        #expect(run.status != 0)
        #expect(run.stderr.contains("nats://host:port"), "\(run.stderr)")
    }
}
