import NATSCore
import NIOCore
import Operations
import Testing

/// The record written from a message's raw header block is byte for byte the record written from its parsed
/// `NATSHeaders`, whatever the block holds.
@Suite struct ReplayRecordHeaderBlockTests {
    static let payloads: [[UInt8]] = [Array("{\"a\":\r\n 1}".utf8), [0xFF, 0x00], [], Array("[1,2]".utf8)]

    static let blocks: [[UInt8]] =
        [
            "NATS/1.0\r\nNats-Msg-Id: 0190-1\r\nX-Event-Type: created\r\nX-Correlation-ID: c-1\r\nX-Causation-ID: 0190-1\r\n\r\n",
            "NATS/1.0\r\nX-A: 1\r\nX-B: q\"\\\r\nX-A: 2\r\nx-a: 3\r\nX-B:\r\n\r\n",
            "NATS/1.0\r\n  Spaced :\t v \t\r\nSpaced:w\r\n\r\n",
            "NATS/1.0 408 Request Timeout\r\n\r\n",
            "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 7\r\n\r\n",
            "NATS/1.0\r\n\r\n",
            "NATS/1.0\r\nGrüße: ja\r\nGru\u{0308}ße: nein\r\nK: 1\r\n\u{212A}: 2\r\n\r\n",
            "NATS/1.0\r\nA: <&>\u{2028}\r\nB: \u{1}\u{1F}\r\n\r\n",
            // Malformed: no headers in the record, as `NATSMessage.headers` is nil for them.
            "NATS/1.0\r\nA: b", "HTTP/1.1\r\n\r\n", "NATS/1.0 99999999999999999999\r\n\r\n", "NATS/1.0\r\nno colon\r\n\r\n",
            "NATS/1.0\r\n: v\r\n\r\n", "", "\r\n",
        ].map { Array($0.utf8) } + [
            Array("NATS/1.0\r\nX-".utf8) + [0xFF, 0xFE] + Array(": ".utf8) + [0xC3] + Array("\r\nX-".utf8) + [0xFE, 0xFF] + Array(": 1\r\n\r\n".utf8),
            Array("NATS/1.0\r\n".utf8) + Array(repeating: Array("N: v\r\n".utf8), count: 3000).flatMap { $0 } + Array("\r\n".utf8),
            Array("NATS/1.0\r\n".utf8) + (0..<300).flatMap { Array("N\($0 % 97): \($0)\r\n".utf8) } + Array("\r\n".utf8),
        ]

    static func record(headerBlock: [UInt8]?, payload: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        ReplayRecord.append(
            sequence: 18_446_744_073_709_551_615,
            timeNanoseconds: 1_764_583_200_123_456_789,
            subject: "cim.person.events.person.created",
            headerBlock: headerBlock.map { ByteBuffer(bytes: $0) },
            payload: ByteBuffer(bytes: payload),
            to: &output
        )
        return output
    }

    static func recordFromParsedHeaders(headerBlock: [UInt8]?, payload: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        ReplayRecord.append(
            sequence: 18_446_744_073_709_551_615,
            timeNanoseconds: 1_764_583_200_123_456_789,
            subject: "cim.person.events.person.created",
            headers: headerBlock.flatMap { try? NATSHeaders(parsing: ByteBuffer(bytes: $0)) },
            payload: ByteBuffer(bytes: payload),
            to: &output
        )
        return output
    }

    @Test(arguments: blocks)
    func writesWhatTheParsedHeadersWrite(block: [UInt8]) {
        for payload in Self.payloads {
            let fromBytes = Self.record(headerBlock: block, payload: payload)
            let fromHeaders = Self.recordFromParsedHeaders(headerBlock: block, payload: payload)
            #expect(String(decoding: fromBytes, as: UTF8.self) == String(decoding: fromHeaders, as: UTF8.self))
            #expect(fromBytes == fromHeaders)
        }
    }

    @Test func groupsValuesUnderTheirNameAndLeavesOutMalformedBlocks() {
        let grouped = String(decoding: Self.record(headerBlock: Self.blocks[1], payload: Array("1".utf8)), as: UTF8.self)
        #expect(grouped.hasSuffix(#""headers":{"X-A":["1","2"],"X-B":["q\"\\",""],"x-a":["3"]},"payload":1}"# + "\n"))
        #expect(grouped.hasPrefix(#"{"seq":18446744073709551615,"time":"2025-12-01T10:00:00.123456789Z","#))
        let canonical = String(decoding: Self.record(headerBlock: Self.blocks[6], payload: Array("1".utf8)), as: UTF8.self)
        #expect(canonical.contains(#""headers":{"Grüße":["ja","nein"],"K":["1","2"]}"#))
        let malformed = String(decoding: Self.record(headerBlock: Array("NATS/1.0\r\nA: b".utf8), payload: Array("1".utf8)), as: UTF8.self)
        #expect(!malformed.contains("headers"))
        let statusOnly = String(decoding: Self.record(headerBlock: Self.blocks[3], payload: Array("1".utf8)), as: UTF8.self)
        #expect(statusOnly.contains(#""headers":{},"payload":1}"#))
    }

    @Test(arguments: [0, 1, 9, 10, 99, 100, 4_294_967_296, UInt64.max])
    func writesSequencesAsDecimal(sequence: UInt64) {
        var output: [UInt8] = []
        ReplayRecord.append(sequence: sequence, timeNanoseconds: 0, subject: "s", headerBlock: nil, payload: ByteBuffer(), to: &output)
        #expect(String(decoding: output, as: UTF8.self).hasPrefix("{\"seq\":\(sequence),"))
    }
}
