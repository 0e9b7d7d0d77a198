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

@Suite struct RFC3339NanoTests {
    @Test func formatsAndParsesNanoseconds() {
        #expect(RFC3339Nano.format(nanoseconds: 0) == "1970-01-01T00:00:00.000000000Z")
        #expect(RFC3339Nano.format(nanoseconds: -1) == "1969-12-31T23:59:59.999999999Z")
        #expect(RFC3339Nano.parse("2026-12-01T10:00:00.5Z") == 1_796_119_200.5)
        #expect(RFC3339Nano.parse("2026-12-01T12:00:00+02:00") == RFC3339Nano.parse("2026-12-01T10:00:00Z"))
    }

    @Test(arguments: [
        "", "2026-12-01", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-01T10:00:00", "2026-12-01T10:00:00.Z", "x026-12-01T10:00:00Z",
    ])
    func refusesWhatIsNotRFC3339(text: String) {
        #expect(RFC3339Nano.parse(text) == nil)
    }

    @Test func timeArgumentsAreRFC3339OrAgo() {
        #expect(TimeArgument.seconds("2h", now: 10_000) == 2800)
        #expect(TimeArgument.seconds("90s", now: 100) == 10)
        #expect(TimeArgument.seconds("1970-01-01T00:01:00Z", now: 0) == 60)
        #expect(TimeArgument.seconds("soon", now: 0) == nil)
        #expect(TimeArgument.seconds("-2h", now: 0) == nil)
    }
}
