import CIMEvents
import Testing

@testable import EventMetrics

/// Issue 10: one event with a hostile time used to set `cim_event_last_timestamp_seconds` to 1.8e305 for good and
/// add 9.2e18 to the publish-delay sum. Implausible times are now `timestamp_out_of_range` and move no timing metric.
@Suite struct TimestampOutOfRangeFoldTests {
    /// 2025-07-05T18:51:57Z: the store time of every message here.
    static let storedAt = 1_751_741_517.0

    static let hostileTimes: [Double] = [
        1.7976931348623157e308, -1.7976931348623157e308, .nan, .infinity, -.infinity, 0, -9.223372036854775808e18,
        9.223372036854775807e18, 946_684_799,  // 1999-12-31T23:59:59Z
        253_402_300_799,  // 9999-12-31T23:59:59Z
        storedAt + 2 * 86_400,  // two days ahead of the store time
    ]

    @Test(arguments: hostileTimes)
    func anImplausibleEventTimeIsTimestampOutOfRangeAndMovesNoTimingMetric(_ time: Double) {
        var fold = MetricsFold(publishDelayBuckets: [1, 10])
        fold.fold(event("orders", "order", "order_placed", time: time), storedAt: Self.storedAt, sequence: 1)
        #expect(fold.count("cim_events_total", ["domain": "orders", "aggregate_type": "order", "event_type": "order_placed"]) == 1)
        #expect(fold.count("cim_event_schema_violations_total", ["domain": "orders", "reason": "timestamp_out_of_range"]) == 1)
        #expect(fold.value("cim_event_last_timestamp_seconds", ["domain": "orders"]) == nil)
        #expect(fold.value("cim_event_publish_delay_seconds", ["domain": "orders"]) == nil)
        // A plausible event afterwards sets both as if the hostile one had never come.
        fold.fold(event("orders", "order", "order_placed", time: Self.storedAt - 2), storedAt: Self.storedAt, sequence: 2)
        #expect(fold.value("cim_event_last_timestamp_seconds", ["domain": "orders"]) == .number(Self.storedAt - 2))
        #expect(
            fold.value("cim_event_publish_delay_seconds", ["domain": "orders"])
                == .histogram(HistogramValue(upperBounds: [1, 10], bucketCounts: [0, 1, 0], sum: 2))
        )
    }

    @Test func aMappedOutOfRangeTimeIsCountedOnceNotTwice() {
        var fold = MetricsFold()
        fold.fold(event("orders", "order", "order_placed", violations: .timestampOutOfRange), storedAt: Self.storedAt, sequence: 1)
        fold.fold(event("orders", "order", "order_placed", time: 1e308, violations: .timestampOutOfRange), storedAt: Self.storedAt, sequence: 2)
        #expect(fold.count("cim_event_schema_violations_total", ["domain": "orders", "reason": "timestamp_out_of_range"]) == 2)
    }

    @Test func withoutAStoreTimeOnlyTheFixedBoundsApply() {
        var fold = MetricsFold()
        fold.fold(event("orders", "order", "order_placed", time: 253_402_300_799), storedAt: nil, sequence: 1)
        #expect(fold.value("cim_event_last_timestamp_seconds", ["domain": "orders"]) == .number(253_402_300_799))
        fold.fold(event("billing", "invoice", "invoice_sent", time: -1e308), storedAt: nil, sequence: 2)
        #expect(fold.value("cim_event_last_timestamp_seconds", ["domain": "billing"]) == nil)
        #expect(fold.count("cim_event_schema_violations_total", ["domain": "billing", "reason": "timestamp_out_of_range"]) == 1)
    }

    /// The whole path a message takes in `serve`: the mapper with the store time as reference, then the fold.
    @Test(
        arguments: [
            ([], #"{"timestamp":1.7976931348623157e308}"#),
            ([("X-Timestamp", "1.7976931348623157e308")], "{}"),
            ([], #"{"occurred_at":{"secs_since_epoch":-9223372036854775808,"nanos_since_epoch":0}}"#),
            ([], #"{"occurred_at":{"secs_since_epoch":9223372036854775807,"nanos_since_epoch":999999999}}"#),
            ([], #"{"occurred_at":{"secs_since_epoch":1751741517,"nanos_since_epoch":1e300}}"#),
            ([], #"{"timestamp":"1970-01-01T00:00:00Z"}"#),
            ([], #"{"timestamp":"9999-12-31T23:59:59Z"}"#),
            ([], #"{"timestamp":1751914317.5}"#),
        ] as [([(String, String)], String)]
    )
    func oneHostileMessageDoesNotPoisonTheTimingMetrics(_ headers: [(String, String)], _ payload: String) {
        var mapper = EventMapper()
        var fold = MetricsFold()
        let hostile = mapper.map(subject: "cim.orders.events.order.placed", headers: headers, payload: Array(payload.utf8), reference: Self.storedAt)
        fold.fold(hostile, storedAt: Self.storedAt, sequence: 1)
        let fine = mapper.map(
            subject: "cim.orders.events.order.placed",
            headers: [],
            payload: Array(#"{"timestamp":1751741516}"#.utf8),
            reference: Self.storedAt
        )
        fold.fold(fine, storedAt: Self.storedAt, sequence: 2)
        #expect(fold.value("cim_event_last_timestamp_seconds", ["domain": "orders"]) == .number(1_751_741_516))
        guard case .histogram(let delay) = fold.value("cim_event_publish_delay_seconds", ["domain": "orders"]) else {
            Issue.record("no publish delay")
            return
        }
        #expect(delay.sum == 1 && delay.count == 1)
        #expect(fold.count("cim_event_schema_violations_total", ["domain": "orders", "reason": "timestamp_out_of_range"]) == 1)
    }
}
