import Testing

@testable import CIMEvents

@Suite("Event time: sources, forms and bad timestamps")
struct EventTimeTests {
    private func rfc3339(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBytes { RFC3339.seconds($0) }
    }

    @Test(
        "reads RFC 3339 in every accepted form",
        arguments: [
            ("1970-01-01T00:00:00Z", 0.0),
            ("2025-07-05T18:51:57Z", 1_751_741_517.0),
            ("2025-07-05T18:51:57.250Z", 1_751_741_517.25),
            ("2025-07-05T18:51:57.123456789Z", 1_751_741_517.123457),
            ("2025-07-05T18:51:57.1234567891234567891234Z", 1_751_741_517.123457),
            ("2025-07-05T18:51:57.5+00:00", 1_751_741_517.5),
            ("2025-07-05T20:51:57+02:00", 1_751_741_517.0),
            ("2025-07-05T13:21:57-05:30", 1_751_741_517.0),
            ("2025-07-05t18:51:57z", 1_751_741_517.0),
            ("2025-07-05 18:51:57Z", 1_751_741_517.0),
            ("2024-02-29T00:00:00Z", 1_709_164_800.0),
            ("2000-03-01T00:00:00Z", 951_868_800.0),
            ("1969-12-31T23:59:59Z", -1.0),
            ("2016-12-31T23:59:60Z", 1_483_228_800.0),
        ]
    )
    func readsRFC3339(_ text: String, _ expected: Double) {
        #expect(rfc3339(text).map { abs($0 - expected) < 1e-6 } == true, "\(String(describing: rfc3339(text)))")
    }

    @Test(
        "rejects what is not RFC 3339",
        arguments: [
            "", "yesterday at noon", "2025-07-05", "2025-07-05T18:51:57", "2025-07-05T18:51:57.Z", "2025-07-05T18:51Z",
            "2025-13-05T18:51:57Z", "2025-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2025-07-05T24:00:00Z", "2025-07-05T18:60:00Z",
            "2025-07-05T18:51:61Z", "2025-07-05T18:51:57+0000", "2025-07-05T18:51:57+00", "2025-07-05T18:51:57+25:00",
            "2025-07-05T18:51:57Zjunk", "25-07-05T18:51:57Z", "2025/07/05T18:51:57Z", "2025-07-05X18:51:57Z", " 2025-07-05T18:51:57Z",
        ]
    )
    func rejectsNonRFC3339(_ text: String) {
        #expect(rfc3339(text) == nil)
    }

    @Test(
        "reads every payload time form",
        arguments: [
            (#""2025-07-05T18:51:57.250Z""#, 1_751_741_517.25),
            ("1751741517", 1_751_741_517.0),
            ("1751741517.5", 1_751_741_517.5),
            ("1751741517250", 1_751_741_517.25),
            ("1.75174151725e12", 1_751_741_517.25),
            (#""1751741517""#, 1_751_741_517.0),
            (#"{"secs_since_epoch":1751741517,"nanos_since_epoch":500000000}"#, 1_751_741_517.5),
            (#"{"nanos_since_epoch":250000000,"secs_since_epoch":1751741517}"#, 1_751_741_517.25),
            (#"{"secs_since_epoch":1751741517}"#, 1_751_741_517.0),
        ]
    )
    func readsPayloadForms(_ json: String, _ expected: Double) {
        let event = mapEvent("cim.d.events.a.b", payload: #"{"timestamp":"# + json + "}")
        #expect(event.time.map { abs($0 - expected) < 1e-6 } == true, "\(String(describing: event.time))")
        #expect(event.violations.isEmpty)
    }

    @Test(
        "a present but unreadable time adds bad_timestamp and is skipped",
        arguments: [
            #""yesterday at noon""#, #""""#, "true", "false", "[]", "[1751741517]", "{}", #"{"secs_since_epoch":"1751741517"}"#,
            #"{"nanos_since_epoch":5}"#, #""2025-07-05T18:51:57""#, #""NaN""#, #""Infinity""#, #""-inf""#,
        ]
    )
    func unreadableTime(_ json: String) {
        let event = mapEvent("cim.d.events.a.b", payload: #"{"occurred_at":"# + json + "}")
        #expect(event.time == nil)
        #expect(event.violations == .badTimestamp)
        let fallback = mapEvent("cim.d.events.a.b", payload: #"{"occurred_at":"# + json + #","created_at":1751741517}"#)
        #expect(fallback.time == 1_751_741_517)
        #expect(fallback.violations == .badTimestamp)
    }

    @Test("a null time field counts as absent")
    func nullTimeIsAbsent() {
        let event = mapEvent("cim.d.events.a.b", payload: #"{"timestamp":null,"stored_at":1751741517}"#)
        #expect(event.time == 1_751_741_517)
        #expect(event.violations.isEmpty)
    }

    @Test(
        "sources are taken in the spec's order",
        arguments: [
            (
                #"{"timestamp":1751741501,"occurred_at":1751741502,"stored_at":1751741503,"created_at":1751741504,"stored_event":{"stored_at":1751741505},"header":{"timestamp":1751741506}}"#,
                1_751_741_501.0
            ),
            (
                #"{"header":{"timestamp":1751741506},"stored_event":{"stored_at":1751741505},"created_at":1751741504,"stored_at":1751741503,"occurred_at":1751741502}"#,
                1_751_741_502.0
            ),
            (
                #"{"header":{"timestamp":1751741506},"stored_event":{"stored_at":1751741505},"created_at":1751741504,"stored_at":1751741503}"#,
                1_751_741_503.0
            ),
            (#"{"header":{"timestamp":1751741506},"stored_event":{"stored_at":1751741505},"created_at":1751741504}"#, 1_751_741_504.0),
            (#"{"header":{"timestamp":1751741506},"stored_event":{"stored_at":1751741505}}"#, 1_751_741_505.0),
            (#"{"header":{"timestamp":1751741506},"event_id":"01989f0e-6b2a-7c3d-9e4f-0a1b2c3d4e5f"}"#, 1_751_741_506.0),
            (#"{"event_id":"01989f0e-6b2a-7c3d-9e4f-0a1b2c3d4e5f"}"#, 1_755_015_179.05),
            (#"{"stored_event":{"event_id":"01989f0e-6b2a-7c3d-9e4f-0a1b2c3d4e5f"}}"#, 1_755_015_179.05),
        ]
    )
    func sourceOrder(_ payload: String, _ expected: Double) {
        let event = mapEvent("cim.d.events.a.b", payload: payload)
        #expect(event.time.map { abs($0 - expected) < 1e-6 } == true, "\(String(describing: event.time))")
    }

    @Test("nested time fields elsewhere are not event times")
    func nestedElsewhereIgnored() {
        let event = mapEvent("cim.d.events.a.b", payload: #"{"payload":{"timestamp":1751741517,"occurred_at":"x"},"metadata":{"stored_at":1}}"#)
        #expect(event.time == nil)
        #expect(event.violations.isEmpty)
    }

    @Test("the X-Timestamp header wins, in seconds or milliseconds; unreadable adds bad_timestamp")
    func headerTimestamp() {
        let payload = #"{"timestamp":"2025-07-05T18:51:57Z"}"#
        #expect(mapEvent("cim.d.events.a.b", headers: [("X-Timestamp", "1755023476")], payload: payload).time == 1_755_023_476)
        #expect(mapEvent("cim.d.events.a.b", headers: [("x-timestamp", " 1755023400.5 ")], payload: payload).time == 1_755_023_400.5)
        #expect(mapEvent("cim.d.events.a.b", headers: [("X-TIMESTAMP", "1755023400500")], payload: payload).time == 1_755_023_400.5)
        let bad = mapEvent("cim.d.events.a.b", headers: [("X-Timestamp", "soon")], payload: payload)
        #expect(bad.time == 1_751_741_517)
        #expect(bad.violations == .badTimestamp)
        let badNoPayload = mapEvent("cim.d.events.a.b", headers: [("X-Timestamp", "soon")], payload: "")
        #expect(badNoPayload.time == nil)
        #expect(badNoPayload.violations == [.empty, .badTimestamp])
    }

    @Test(
        "a UUIDv7 id gives a time; other ids do not",
        arguments: [
            ("01989f0e-6b2a-7c3d-9e4f-0a1b2c3d4e5f", 1_755_015_179.05 as Double?),
            ("01989F0E-6B2A-7C3D-BE4F-0A1B2C3D4E5F", 1_755_015_179.05),
            ("01989f0e-6b2a-4c3d-9e4f-0a1b2c3d4e5f", nil),  // version 4
            ("01989f0e-6b2a-7c3d-ce4f-0a1b2c3d4e5f", nil),  // not the RFC 9562 variant
            ("01989f0e6b2a7c3d9e4f0a1b2c3d4e5f", nil),
            ("01989f0e-6b2a-7c3d-9e4f-0a1b2c3d4e5", nil),
            ("0g989f0e-6b2a-7c3d-9e4f-0a1b2c3d4e5f", nil),
            ("not-a-uuid", nil),
        ]
    )
    func uuidV7Time(_ id: String, _ expected: Double?) {
        let event = mapEvent("cim.d.events.a.b", headers: [("Nats-Msg-Id", id)], payload: "{}")
        #expect(event.id == id)
        if let expected {
            #expect(event.time.map { abs($0 - expected) < 1e-6 } == true)
        } else {
            #expect(event.time == nil)
        }
        #expect(event.violations.isEmpty)
    }
}

/// The package's one RFC 3339 formatter: nanoseconds, any number of fraction digits (cut, never rounded up), `Z` or
/// `+00:00`, times before 1970 and past 9999; and parsing from a `String`.
@Suite struct RFC3339TextTests {
    @Test func formatsAndParsesNanoseconds() {
        #expect(RFC3339.format(nanoseconds: 0) == "1970-01-01T00:00:00.000000000Z")
        #expect(RFC3339.format(nanoseconds: -1) == "1969-12-31T23:59:59.999999999Z")
        #expect(RFC3339.seconds("2026-12-01T10:00:00.5Z") == 1_796_119_200.5)
        #expect(RFC3339.seconds("2026-12-01T12:00:00+02:00") == RFC3339.seconds("2026-12-01T10:00:00Z"))
    }

    @Test(arguments: [
        "", "2026-12-01", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-01T10:00:00", "2026-12-01T10:00:00.Z", "x026-12-01T10:00:00Z",
    ])
    func refusesWhatIsNotRFC3339(text: String) {
        #expect(RFC3339.seconds(text) == nil)
    }

    @Test func theMonitoringJSONsNanosecondTimesAreRead() {
        let nanos = RFC3339.seconds("2026-12-01T17:00:00.123456789Z")!
        #expect(abs(nanos - 1_796_144_400.123456789) < 1e-6)
        #expect(RFC3339.seconds("2026-12-01T18:00:00+01:00") == 1_796_144_400)
    }

    @Test func fractionDigitsAreCutAndTheOffsetIsWrittenOnRequest() {
        let time: Int64 = 1_796_119_200_999_999_999
        #expect(RFC3339.format(nanoseconds: time, fractionDigits: 3) == "2026-12-01T10:00:00.999Z")
        #expect(RFC3339.format(nanoseconds: time, fractionDigits: 6, offset: true) == "2026-12-01T10:00:00.999999+00:00")
        #expect(RFC3339.format(nanoseconds: time, fractionDigits: 0) == "2026-12-01T10:00:00Z")
        #expect(RFC3339.format(nanoseconds: time, fractionDigits: 42) == "2026-12-01T10:00:00.999999999Z")
        #expect(RFC3339.format(nanoseconds: -1, fractionDigits: 3) == "1969-12-31T23:59:59.999Z")
        #expect(RFC3339.format(seconds: 1_796_119_200.25) == "2026-12-01T10:00:00.250000000Z")
        #expect(RFC3339.format(seconds: .infinity) == "inf")
    }

    @Test func every97thDayFrom1680To2260RoundTrips() {
        var day: Int64 = -106_000
        while day < 106_000 {
            let text = RFC3339.format(nanoseconds: day * 86_400_000_000_000 + 43_200_000_000_000, fractionDigits: 0)
            #expect(RFC3339.seconds(text) == Double(day * 86_400 + 43_200), "\(text)")
            day += 97
        }
    }

    @Test func theExtremesOfNanosecondTimeAreWritten() {
        #expect(RFC3339.format(nanoseconds: .max) == "2262-04-11T23:47:16.854775807Z")
        #expect(RFC3339.format(nanoseconds: .min) == "1677-09-21T00:12:43.145224192Z")
    }
}
