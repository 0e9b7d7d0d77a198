import NIOCore
import Testing

@testable import NATSCore

@Suite struct EncoderTests {
    @Test func encodesPublishSubscribeAndHeaders() {
        var buffer = ByteBuffer()
        buffer.writePublish(subject: "a.b", replyTo: nil, headers: nil, payload: ByteBuffer(string: "hi"))
        buffer.writePublish(subject: "a.b", replyTo: "r", headers: NATSHeaders([("K", "v")]), payload: ByteBuffer(string: "hi"))
        buffer.writeSubscribe(subject: "x.>", queue: "q", sid: 12)
        buffer.writeUnsubscribe(sid: 12, max: 5)
        buffer.writeDecimal(1_234_567_890)
        #expect(
            String(buffer: buffer)
                == "PUB a.b 2\r\nhi\r\nHPUB a.b r 18 20\r\nNATS/1.0\r\nK: v\r\n\r\nhi\r\nSUB x.> q 12\r\nUNSUB 12 5\r\n1234567890"
        )
    }

    @Test func publishFramesMatchTheProtocolForEverySize() {
        // PublishFrame copies short parts with word moves (sizes 0–7, 8–16, 17–32) and longer ones with memmove.
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: 33 + $0 % 90) }
        for size in [0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 300] {
            for subject in ["a", "abcdefg", "abcdefgh", "cim.person.events.person.created", "cim.organization.events.organization.member_added.v2"] {
                for reply in [nil, "r", "_INBOX.0123456789abcdef0123456789abcdef"] {
                    let payload = ByteBuffer(bytes: bytes[..<size])
                    var encoded = ByteBuffer()
                    encoded.writePublish(subject: subject, replyTo: reply, headers: nil, payload: payload)
                    let expected = "PUB \(subject)\(reply.map { " \($0)" } ?? "") \(size)\r\n\(String(decoding: bytes[..<size], as: UTF8.self))\r\n"
                    #expect(String(buffer: encoded) == expected)
                    #expect(encoded.readableBytes == PublishFrame.length(subject: subject, replyTo: reply, payloadBytes: size))
                }
            }
        }
    }

    @Test func headerPublishFramesMatchTheProtocol() {
        var withStatus = NATSHeaders([("Nats-Msg-Id", "0193a1b2-c3d4"), ("X", "1"), ("x", "two words")])
        withStatus.status = 503
        var statusOnly = NATSHeaders()
        statusOnly.status = 100
        statusOnly.statusDescription = "Idle Heartbeat"
        let cases: [(NATSHeaders, String)] = [
            (NATSHeaders(), "NATS/1.0\r\n\r\n"),
            (NATSHeaders([("K", "v")]), "NATS/1.0\r\nK: v\r\n\r\n"),
            (withStatus, "NATS/1.0 503\r\nNats-Msg-Id: 0193a1b2-c3d4\r\nX: 1\r\nx: two words\r\n\r\n"),
            (statusOnly, "NATS/1.0 100 Idle Heartbeat\r\n\r\n"),
            (NATSHeaders([("Ünïcode", "välue ✓")]), "NATS/1.0\r\nÜnïcode: välue ✓\r\n\r\n"),
        ]
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: 33 + $0 % 90) }
        for (headers, block) in cases {
            #expect(headers.encodedLength == block.utf8.count)
            var written = ByteBuffer()
            headers.write(to: &written)
            #expect(String(buffer: written) == block)
            for size in [0, 9, 33, 300] {
                for reply in [nil, "_INBOX.abc"] {
                    var encoded = ByteBuffer()
                    encoded.writePublish(subject: "cim.a.b", replyTo: reply, headers: headers, payload: ByteBuffer(bytes: bytes[..<size]))
                    let head = "HPUB cim.a.b\(reply.map { " \($0)" } ?? "") \(block.utf8.count) \(block.utf8.count + size)\r\n"
                    #expect(String(buffer: encoded) == head + block + String(decoding: bytes[..<size], as: UTF8.self) + "\r\n")
                    #expect(
                        encoded.readableBytes
                            == PublishFrame.length(subject: "cim.a.b", replyTo: reply, headerBytes: headers.encodedLength, payloadBytes: size)
                    )
                }
            }
        }
    }

    @Test(arguments: ["", "a b", "a..b", ".a", "a.", "a\r\nPUB x 1"])
    func rejectsSubjectsThatBreakFraming(_ subject: String) {
        #expect(throws: NATSError.self) { try NATSSubject.validate(subject, wildcards: true) }
    }

    @Test func publishSubjectsCannotHaveWildcards() throws {
        #expect(throws: NATSError.self) { try NATSSubject.validate("a.*", wildcards: false) }
        #expect(throws: NATSError.self) { try NATSSubject.validate("a.>", wildcards: false) }
        try NATSSubject.validate("a.*b.c>", wildcards: false)
        try NATSSubject.validate("cim.>", wildcards: true)
    }

    @Test func headerValuesCannotInjectLines() {
        #expect(throws: NATSError.self) { try NATSHeaders([("A", "x\r\nB: y")]).validate() }
        #expect(throws: NATSError.self) { try NATSHeaders([("A B", "x")]).validate() }
    }
}
