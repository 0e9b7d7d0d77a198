import Testing

@testable import CIMEvents

/// Issue 10: one hostile event time (`1e308`, `Int64.min` seconds, …) used to pin `cim_event_last_timestamp_seconds`
/// in the far future and add ~1e19 to the lag and publish-delay sums for good. Such times are now the violation
/// `timestamp_out_of_range` and are not the event's time.
@Suite("Event time window: implausible times are timestamp_out_of_range")
struct TimestampOutOfRangeTests {
    /// 2025-07-05T18:51:57Z, the store time of the messages below.
    static let storedAt = 1_751_741_517.0

    @Test(
        "a readable but implausible payload time is timestamp_out_of_range and not the event time",
        arguments: [
            "1.7976931348623157e308", "-1.7976931348623157e308", "1e999", "-1e999", "0", "-1", "946684799.999",
            #""1970-01-01T00:00:00Z""#, #""1999-12-31T23:59:59Z""#, #""9999-12-31T23:59:59Z""#,
            #""2025-07-07T18:51:58Z""#,  // 2 days and 1 s after the store time
            "1751914318",  // the same, in seconds
            "1751914318000",  // the same, in milliseconds
            #"{"secs_since_epoch":-9223372036854775808,"nanos_since_epoch":0}"#,
            #"{"secs_since_epoch":9223372036854775807,"nanos_since_epoch":999999999}"#,
            #"{"secs_since_epoch":1751741517,"nanos_since_epoch":18446744073709551615000000000}"#,  // nanos overflow a day
            #"{"secs_since_epoch":1751741517,"nanos_since_epoch":1e999}"#,
            #"{"secs_since_epoch":1e999,"nanos_since_epoch":-1e999}"#,  // inf - inf: NaN
        ]
    )
    func implausiblePayloadTime(_ json: String) {
        let event = mapEvent("cim.d.events.a.b", payload: #"{"timestamp":"# + json + "}", reference: Self.storedAt)
        #expect(event.time == nil)
        #expect(event.violations == .timestampOutOfRange)
        // Treated as absent: the next source gives the time, the violation stays.
        let fallback = mapEvent(
            "cim.d.events.a.b",
            payload: #"{"timestamp":"# + json + #","created_at":1751741500}"#,
            reference: Self.storedAt
        )
        #expect(fallback.time == 1_751_741_500)
        #expect(fallback.violations == .timestampOutOfRange)
    }

    @Test(
        "an implausible X-Timestamp is timestamp_out_of_range and the payload time is used",
        arguments: ["1.7976931348623157e308", "-9223372036854775808", "9223372036854775807", "0", "1e999", "253402300799"]
    )
    func implausibleHeaderTime(_ value: String) {
        let event = mapEvent(
            "cim.d.events.a.b",
            headers: [("X-Timestamp", value)],
            payload: #"{"timestamp":"2025-07-05T18:51:00Z"}"#,
            reference: Self.storedAt
        )
        #expect(event.time == 1_751_741_460)
        #expect(event.violations == .timestampOutOfRange)
        let alone = mapEvent("cim.d.events.a.b", headers: [("X-Timestamp", value)], payload: "{}", reference: Self.storedAt)
        #expect(alone.time == nil)
        #expect(alone.violations == .timestampOutOfRange)
    }

    @Test("NaN-like strings are unreadable (bad_timestamp), not numbers", arguments: ["NaN", "nan", "Infinity", "-Infinity", "inf", "0x1p3"])
    func nanLikeStringsAreUnreadable(_ value: String) {
        let header = mapEvent("cim.d.events.a.b", headers: [("X-Timestamp", value)], payload: "{}", reference: Self.storedAt)
        #expect(header.time == nil)
        #expect(header.violations == .badTimestamp)
        let payload = mapEvent("cim.d.events.a.b", payload: #"{"timestamp":""# + value + #""}"#, reference: Self.storedAt)
        #expect(payload.time == nil)
        #expect(payload.violations == .badTimestamp)
    }

    @Test("a UUIDv7 id whose time is implausible gives no time and the violation")
    func implausibleUUIDv7Time() {
        let event = mapEvent("cim.d.events.a.b", headers: [("Nats-Msg-Id", "00000000-0001-7000-8000-000000000000")], payload: "{}")
        #expect(event.time == nil)
        #expect(event.violations == .timestampOutOfRange)
    }

    @Test("the window's edges are inside it: 2000-01-01T00:00:00Z and exactly one day after the store time")
    func windowEdges() {
        let earliest = mapEvent("cim.d.events.a.b", payload: #"{"timestamp":"2000-01-01T00:00:00Z"}"#, reference: Self.storedAt)
        #expect(earliest.time == EventTimeWindow.earliest)
        #expect(earliest.violations.isEmpty)
        let latest = mapEvent("cim.d.events.a.b", payload: #"{"timestamp":1751827917}"#, reference: Self.storedAt)
        #expect(latest.time == Self.storedAt + EventTimeWindow.maximumAhead)
        #expect(latest.violations.isEmpty)
        let later = mapEvent("cim.d.events.a.b", payload: #"{"timestamp":1751827917.001}"#, reference: Self.storedAt)
        #expect(later.time == nil)
        #expect(later.violations == .timestampOutOfRange)
    }

    @Test("without a reference time only the fixed bounds apply")
    func withoutReference() {
        #expect(mapEvent("cim.d.events.a.b", payload: #"{"timestamp":"9999-12-31T23:59:59Z"}"#).time == 253_402_300_799)
        #expect(mapEvent("cim.d.events.a.b", payload: #"{"timestamp":1e999}"#).violations == .timestampOutOfRange)
        #expect(mapEvent("cim.d.events.a.b", payload: #"{"timestamp":-1e308}"#).violations == .timestampOutOfRange)
        #expect(mapEvent("cim.d.events.a.b", payload: #"{"timestamp":"1970-01-01T00:00:00Z"}"#).violations == .timestampOutOfRange)
    }

    @Test("the reason label is timestamp_out_of_range")
    func reasonLabel() {
        #expect(SchemaViolations.timestampOutOfRange.reasons == ["timestamp_out_of_range"])
    }
}
