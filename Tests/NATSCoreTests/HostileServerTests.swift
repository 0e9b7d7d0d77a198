import NIOCore
import Testing

@testable import NATSCore

/// What a hostile or broken server sends: every number from the wire is range-checked, and every malformed frame is a
/// typed protocol error, never a crash and never data silently dropped.
@Suite struct HostileServerTests {
    static func info(_ fields: String) -> String {
        "INFO {\"server_id\":\"S\",\"version\":\"2.15.1\",\(fields)}\r\n"
    }

    static func parse(_ text: String) throws(NATSError) -> [ServerOp] {
        var parser = NATSProtocolParser()
        var buffer = ByteBuffer(string: text)
        var ops: [ServerOp] = []
        while let op = try parser.next(from: &buffer) { ops.append(op) }
        return ops
    }

    /// Hardening: `INFO {…"max_payload":9223372036854775807}` crashed every client (`maxPayload + 4096` overflowed).
    @Test(arguments: [
        "\"max_payload\":9223372036854775807",
        "\"max_payload\":-9223372036854775808",
        "\"max_payload\":-1",
        "\"max_payload\":0",
        "\"max_payload\":1073741825",
        "\"max_payload\":1e400",
        "\"max_payload\":\"1048576\"",
        "\"max_payload\":1048576,\"port\":70000",
        "\"max_payload\":1048576,\"port\":-1",
        "\"max_payload\":1048576,\"proto\":9223372036854775807",
        "\"max_payload\":1048576,\"client_id\":-1",
        "\"max_payload\":1048576,\"headers\":\"yes\"",
    ])
    func infoWithOutOfRangeNumbersIsAProtocolViolationNotACrash(_ fields: String) {
        #expect {
            _ = try Self.parse(Self.info(fields))
        } throws: { error in
            (error as? NATSError)?.code == .protocolViolation
        }
    }

    @Test func infoAtTheLimitsIsAccepted() throws {
        let ops = try Self.parse(Self.info("\"max_payload\":1073741824,\"port\":65535,\"proto\":1"))
        guard case .info(let info) = ops.first else {
            Issue.record("no INFO in \(ops.count) operations")
            return
        }
        #expect(info.maxPayload == ServerInfo.maxPayloadCeiling)
        // What the channel handler computes from it cannot overflow.
        #expect(info.maxPayload.addingReportingOverflow(4096).overflow == false)
    }

    /// Hardening: an `HMSG` whose header block is not `NATS/1.0` was delivered with all its headers silently dropped.
    @Test(arguments: [
        "HMSG a 1 12 14\r\nHTTP/1.1\r\n\r\nhi\r\n",
        "HMSG a 1 12 14\r\nNATS/2.0\r\n\r\nhi\r\n",
        "HMSG a 1 16 18\r\nNATS/1.0\r\nA: b\r\nhi\r\n",
        "HMSG a 1 12 12\r\nnats/1.0\r\n\r\n\r\n",
    ])
    func aHeaderBlockThatIsNotNATS10IsAProtocolError(_ frame: String) {
        #expect {
            _ = try Self.parse(frame)
        } throws: { error in
            (error as? NATSError)?.code == .protocolViolation
        }
    }

    @Test func aWellFormedHeaderBlockStillDelivers() throws {
        let ops = try Self.parse("HMSG a 1 20 22\r\nNATS/1.0\r\nX-A: b\r\n\r\nhi\r\n")
        guard case .message(let message) = ops.first else {
            Issue.record("no message")
            return
        }
        #expect(message.headers?["X-A"] == "b")
    }

    /// Cluster peers announced in `connect_urls` with impossible ports never enter the reconnect pool.
    @Test func connectURLsWithBadPortsAreIgnored() {
        var machine = ReconnectStateMachine(servers: [ServerURL(host: "a")])
        machine.serversDiscovered(["b:0", "c:65536", "d:-1", "e:99999999999999999999", "nats//f:1", "", "g:4223"], tls: false)
        #expect(machine.servers.map(\.host) == ["a", "g"])
    }
}
