import CIMEvents
import NATSCore
import NIOCore
import Operations
import Testing

@Suite struct ReplayRecordTests {
    func line(_ payload: [UInt8], headers: NATSHeaders? = nil) -> String {
        var output: [UInt8] = []
        ReplayRecord.append(
            sequence: 7,
            timeNanoseconds: 1_764_583_200_123_456_789,
            subject: "orders.\"x\"",
            headers: headers,
            payload: ByteBuffer(bytes: payload),
            to: &output
        )
        return String(decoding: output, as: UTF8.self)
    }

    @Test func aJSONPayloadIsCopiedOnOneLine() {
        #expect(
            line(Array("{\"a\":\n 1}".utf8))
                == #"{"seq":7,"time":"2025-12-01T10:00:00.123456789Z","subject":"orders.\"x\"","payload":{"a":  1}}"# + "\n"
        )
    }

    @Test func otherPayloadsAreBase64() {
        #expect(line([0xFF, 0x00]).contains(#""payload_b64":"/wA=""#))
        #expect(line(Array("{\"a\":".utf8)).contains(#""payload_b64":"#))
        #expect(line([]).contains(#""payload_b64":"""#))
    }

    @Test func headersKeepEveryValueInOrder() {
        var headers = NATSHeaders()
        headers.append("X-A", "1")
        headers.append("X-B", "q\"")
        headers.append("X-A", "2")
        #expect(line(Array("1".utf8), headers: headers).contains(#""headers":{"X-A":["1","2"],"X-B":["q\""]},"payload":1}"#))
    }
}

@Suite struct TimeArgumentTests {
    @Test func timeArgumentsAreRFC3339OrAgo() {
        #expect(TimeArgument.seconds("2h", now: 10_000) == 2800)
        #expect(TimeArgument.seconds("90s", now: 100) == 10)
        #expect(TimeArgument.seconds("1970-01-01T00:01:00Z", now: 0) == 60)
        #expect(TimeArgument.seconds("soon", now: 0) == nil)
        #expect(TimeArgument.seconds("-2h", now: 0) == nil)
    }
}
