import NIOCore
import Testing

@testable import NATSCore

@Suite struct ParserTests {
    static let mixed =
        "INFO {\"server_id\":\"S1\",\"version\":\"2.15.1\",\"max_payload\":1048576,\"headers\":true}\r\n"
        + "PING\r\nPONG\r\n+OK\r\n"
        + "MSG cim.a.events.x.y 1 5\r\nhello\r\n"
        + "MSG foo 22 _INBOX.abc 0\r\n\r\n"
        + "msg  spaced\t3   reply.to   3\r\nabc\r\n"
        + "HMSG cim.b 2 29 34\r\nNATS/1.0\r\nX-Event-Type: A\r\n\r\nworld\r\n"
        + "HMSG _INBOX.x.1 9 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"
        + "HMSG $JS.hb 4 reply 37 37\r\nNATS/1.0 100 Idle Heartbeat\r\nA: b\r\n\r\n\r\n"
        + "-ERR 'Permissions Violation for Publish to foo'\r\n"

    static func parseAll(_ chunks: [ByteBuffer]) throws -> [String] {
        var parser = NATSProtocolParser()
        var cumulation = ByteBuffer()
        var out: [String] = []
        for var chunk in chunks {
            cumulation.writeBuffer(&chunk)
            while let op = try parser.next(from: &cumulation) { out.append(describe(op)) }
        }
        #expect(cumulation.readableBytes == 0)
        return out
    }

    static func describe(_ op: ServerOp) -> String {
        switch op {
        case .info(let info): "INFO \(info.serverID) \(info.maxPayload)"
        case .ping: "PING"
        case .pong: "PONG"
        case .ok: "OK"
        case .error(let text): "ERR \(text)"
        case .message(let message):
            "MSG \(message.subject) \(message.sid) \(message.replyTo ?? "-") \(message.headers.map { "h\($0.status ?? 0):\($0["x-event-type"] ?? "")" } ?? "-") \(message.string)"
        }
    }

    static let expected = [
        "INFO S1 1048576", "PING", "PONG", "OK",
        "MSG cim.a.events.x.y 1 - - hello",
        "MSG foo 22 _INBOX.abc - ",
        "MSG spaced 3 reply.to - abc",
        "MSG cim.b 2 - h0:A world",
        "MSG _INBOX.x.1 9 - h503: ",
        "MSG $JS.hb 4 reply h100: ",
        "ERR Permissions Violation for Publish to foo",
    ]

    @Test func parsesMixedFramesInOneBuffer() throws {
        #expect(try Self.parseAll([ByteBuffer(string: Self.mixed)]) == Self.expected)
    }

    @Test func parsesTheSameAtEverySplitPoint() throws {
        let bytes = Array(Self.mixed.utf8)
        for split in 1..<bytes.count {
            let parts = [ByteBuffer(bytes: bytes[..<split]), ByteBuffer(bytes: bytes[split...])]
            #expect(try Self.parseAll(parts) == Self.expected, "split at \(split)")
        }
    }

    @Test func parsesByteByByte() throws {
        let chunks = Array(Self.mixed.utf8).map { ByteBuffer(bytes: [$0]) }
        #expect(try Self.parseAll(chunks) == Self.expected)
    }

    @Test func payloadIsASliceOfTheReadBuffer() throws {
        var parser = NATSProtocolParser()
        var buffer = ByteBuffer(string: "MSG a 1 3\r\nxyz\r\n")
        guard case .message(let message) = try parser.next(from: &buffer) else {
            Issue.record("expected a message")
            return
        }
        #expect(message.payload.readableBytesView.elementsEqual("xyz".utf8))
        #expect(message.payload.capacity <= 3 || message.payload.storageCapacity >= 16)
    }

    @Test func headerStatusAndMultipleValues() throws {
        let headers = try NATSHeaders(parsing: ByteBuffer(string: "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 5\r\nA: 1\r\na: 2\r\n\r\n"))
        #expect(headers.status == 408)
        #expect(headers.statusDescription == "Request Timeout")
        #expect(headers["NATS-PENDING-MESSAGES"] == "5")
        #expect(headers.values("A") == ["1", "2"])
    }

    @Test(arguments: [
        "FOO bar\r\n",
        "MSG a 1\r\n",
        "MSG a x 3\r\nabc\r\n",
        "MSG a 1 -3\r\nabc\r\n",
        "MSG a 1 3\r\nabcd\r\n",
        "MSG a 1 2 3 4 5 6\r\nabc\r\n",
        "HMSG a 1 20 10\r\nNATS/1.0\r\n\r\n\r\n",
        "HMSG a 1 3 10\r\nNATS/1.0\r\n\r\n\r\n",
        "MSG a 1 99999999999999999999\r\n",
        "INFO {not json}\r\n",
        "\r\n",
    ])
    func malformedFramesGiveATypedError(_ frame: String) {
        var parser = NATSProtocolParser()
        var buffer = ByteBuffer(string: frame)
        #expect(throws: NATSError.self) {
            while try parser.next(from: &buffer) != nil {}
        }
    }

    @Test func oversizedControlLineIsRejected() {
        var parser = NATSProtocolParser(maxControlLine: 64)
        var buffer = ByteBuffer(string: "MSG " + String(repeating: "a", count: 100))
        #expect {
            _ = try parser.next(from: &buffer)
        } throws: { ($0 as? NATSError)?.code == .controlLineTooLong }
    }

    @Test func oversizedPayloadIsRejectedBeforeItArrives() {
        var parser = NATSProtocolParser(maxPayload: 10)
        var buffer = ByteBuffer(string: "MSG a 1 11\r\n")
        #expect {
            _ = try parser.next(from: &buffer)
        } throws: { ($0 as? NATSError)?.code == .payloadTooLarge }
    }

    @Test func truncatedHeaderBlockIsATypedError() {
        #expect(throws: NATSError.self) {
            _ = try NATSHeaders(parsing: ByteBuffer(string: "NATS/1.0\r\nA: b"))
        }
        #expect(throws: NATSError.self) {
            _ = try NATSHeaders(parsing: ByteBuffer(string: "HTTP/1.1\r\n\r\n"))
        }
    }

    @Test func messagesKeepTheirOwnSubjectWhenSubjectsRepeatAndAlternate() throws {
        // The parser reuses the previous message's subject string when the bytes are the same.
        let subjects = [
            "cim.person.events.person.created", "cim.person.events.person.created", "a", "a", "b",
            "cim.person.events.person.createe", "cim.person.events.person.created", "ü.x",
        ]
        var wire = ByteBuffer()
        for (index, subject) in subjects.enumerated() { wire.writeString("MSG \(subject) \(index + 1) 1\r\nx\r\n") }
        var parser = NATSProtocolParser()
        var delivered: [NATSMessage] = []
        while case .delivered = try parser.next(from: &wire, deliver: { delivered.append($0) }) {}
        #expect(delivered.map(\.subject) == subjects)
        #expect(delivered.map(\.sid) == Array(1...UInt64(subjects.count)))
        #expect(wire.readableBytes == 0)
    }

    @Test func deliversMessagesAndReturnsOtherOperations() throws {
        var parser = NATSProtocolParser()
        var wire = ByteBuffer(string: "PING\r\nMSG a 1 2\r\nhi\r\nMSG a 1 3")
        var delivered: [String] = []
        let deliver: (consuming NATSMessage) -> Void = { delivered.append($0.string) }
        guard case .operation(.ping) = try parser.next(from: &wire, deliver: deliver) else {
            Issue.record("expected PING")
            return
        }
        guard case .delivered = try parser.next(from: &wire, deliver: deliver) else {
            Issue.record("expected a message")
            return
        }
        guard case .incomplete = try parser.next(from: &wire, deliver: deliver) else {
            Issue.record("expected an incomplete frame")
            return
        }
        #expect(delivered == ["hi"])
        #expect(String(buffer: wire) == "MSG a 1 3")
    }

    @Test func aLoneCarriageReturnIsNotALineEnd() throws {
        var parser = NATSProtocolParser()
        var wire = ByteBuffer(string: "MSG a\r 1 2\r\nhi\r\n")
        guard case .message(let message) = try parser.next(from: &wire) else {
            Issue.record("expected a message")
            return
        }
        #expect(message.subject == "a\r" && message.string == "hi" && wire.readableBytes == 0)
        var complete = ByteBuffer(string: "PI\rNG")
        #expect(try parser.next(from: &complete) == nil)
    }

    @Test func incompleteInputWaitsWithoutConsuming() throws {
        var parser = NATSProtocolParser()
        var buffer = ByteBuffer(string: "MSG a 1 10\r\nabc")
        #expect(try parser.next(from: &buffer) == nil)
        #expect(buffer.readableBytes == 15)
    }
}
