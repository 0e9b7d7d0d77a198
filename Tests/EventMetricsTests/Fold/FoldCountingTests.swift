import CIMEvents
import CIMSimulation
import Testing

@testable import EventMetrics

@Suite struct FoldCountingTests {
    @Test func countsEveryEventByItsLabels() {
        var fold = MetricsFold()
        fold.fold([
            event("orders", "order", "order_placed"),
            event("orders", "order", "order_placed"),
            event("orders", "order", "order_shipped"),
            event("billing", "invoice", "invoice_sent"),
        ])
        #expect(fold.count("cim_events_total", ["domain": "orders", "aggregate_type": "order", "event_type": "order_placed"]) == 2)
        #expect(fold.count("cim_events_total", ["domain": "orders", "aggregate_type": "order", "event_type": "order_shipped"]) == 1)
        #expect(fold.count("cim_events_total", ["domain": "billing", "aggregate_type": "invoice", "event_type": "invoice_sent"]) == 1)
        #expect(fold.seriesCount("cim_events_total") == 3)
        #expect(fold.eventsProcessed == 4)
        #expect(fold.count("cim_monitor_events_processed_total", [:]) == 4)
    }

    @Test func remembersTheSequenceOfTheLastFoldedMessage() {
        var fold = MetricsFold()
        #expect(fold.lastSequence == 0)
        fold.fold(event("a", "b", "c"), storedAt: nil, sequence: 41)
        fold.fold(event("a", "b", "c"), storedAt: nil, sequence: 42)
        #expect(fold.lastSequence == 42)
    }

    @Test func countsFailuresByErrorTypeAndStillCountsTheEvent() {
        var fold = MetricsFold()
        fold.fold([
            event("payments", "payment", "payment_failed", failed: true, errorType: "card_declined"),
            event("payments", "payment", "payment_failed", failed: true, errorType: "card_declined"),
            event("payments", "payment", "payment_failed", failed: true, errorType: "timeout"),
            event("payments", "payment", "payment_failed", failed: true),
            event("payments", "payment", "payment_captured"),
        ])
        let labels: KeyValuePairs<String, String> = ["domain": "payments", "aggregate_type": "payment", "event_type": "payment_failed"]
        #expect(fold.count("cim_events_total", labels) == 4)
        let failed = "cim_events_failed_total"
        #expect(
            fold.count(failed, ["domain": "payments", "aggregate_type": "payment", "event_type": "payment_failed", "error_type": "card_declined"])
                == 2
        )
        #expect(
            fold.count(failed, ["domain": "payments", "aggregate_type": "payment", "event_type": "payment_failed", "error_type": "timeout"]) == 1
        )
        #expect(
            fold.count(failed, ["domain": "payments", "aggregate_type": "payment", "event_type": "payment_failed", "error_type": "unknown"]) == 1
        )
        #expect(fold.seriesCount(failed) == 3)
    }

    @Test func countsEachSchemaViolationByReason() {
        var fold = MetricsFold()
        fold.fold([
            event("orders", "unknown", "unknown", violations: [.invalidJSON]),
            event("orders", "unknown", "unknown", violations: [.invalidJSON, .badTimestamp]),
            event("billing", "unknown", "unknown", violations: [.empty]),
            event("billing", "invoice", "invoice_sent"),
        ])
        let family = "cim_event_schema_violations_total"
        #expect(fold.count(family, ["domain": "orders", "reason": "invalid_json"]) == 2)
        #expect(fold.count(family, ["domain": "orders", "reason": "bad_timestamp"]) == 1)
        #expect(fold.count(family, ["domain": "billing", "reason": "empty"]) == 1)
        #expect(fold.seriesCount(family) == 3)
        #expect(fold.count("cim_events_total", ["domain": "orders", "aggregate_type": "unknown", "event_type": "unknown"]) == 2)
    }

    @Test(arguments: SchemaViolations.all.map(\.1))
    func namesEveryViolationReason(reason: String) {
        let violation = SchemaViolations.all.first { $0.1 == reason }!.0
        var fold = MetricsFold()
        fold.fold(event("orders", "unknown", "unknown", violations: violation), storedAt: nil, sequence: 1)
        #expect(fold.count("cim_event_schema_violations_total", ["domain": "orders", "reason": reason]) == 1)
    }

    @Test func countsRepeatedIdsAsDuplicatesAndStillCountsEveryMessage() {
        var fold = MetricsFold()
        fold.fold([
            event("orders", "order", "order_placed", id: "e1"),
            event("orders", "order", "order_placed", id: "e2"),
            event("orders", "order", "order_placed", id: "e1"),
            event("orders", "order", "order_placed", id: "e1"),
            event("orders", "order", "order_placed"),
            event("orders", "order", "order_placed"),
            event("billing", "invoice", "invoice_sent", id: "e2"),
        ])
        #expect(fold.count("cim_events_total", ["domain": "orders", "aggregate_type": "order", "event_type": "order_placed"]) == 6)
        #expect(fold.count("cim_event_duplicates_total", ["domain": "orders"]) == 2)
        #expect(fold.count("cim_event_duplicates_total", ["domain": "billing"]) == 1)
    }

    @Test func createsTheDuplicatesSeriesAtZeroForEveryFoldedDomain() {
        var fold = MetricsFold()
        fold.fold([event("orders", "order", "order_placed", id: "e1"), event("billing", "invoice", "invoice_sent")])
        fold.observeLag(1, domain: "lagonly")
        #expect(fold.count("cim_event_duplicates_total", ["domain": "orders"]) == 0)
        #expect(fold.count("cim_event_duplicates_total", ["domain": "billing"]) == 0)
        #expect(fold.count("cim_event_duplicates_total", ["domain": "lagonly"]) == nil)
    }

    @Test func forgetsIdsThatLeftTheDuplicateWindow() {
        var fold = MetricsFold(duplicateWindow: 3)
        let ids = ["a", "b", "c", "a", "d", "a", "b", "e", "f", "g", "c"]
        // The second "a" is a duplicate; "d" then evicts "a", so every later id is new again.
        fold.fold(ids.map { event("orders", "order", "order_placed", id: $0) })
        #expect(fold.count("cim_event_duplicates_total", ["domain": "orders"]) == 1)
        #expect(fold.duplicateWindowCapacity == 3)
    }

    @Test func duplicateWindowHoldsTheMostRecentIds() {
        var window = DuplicateWindow(capacity: 4)
        let seen = ["1", "2", "3", "4", "5", "6", "6", "3", "2"].map { window.insert(id: $0) }
        #expect(seen == [false, false, false, false, false, false, true, true, false])
        #expect(window.count == 4)
        #expect(window.fingerprints == ["4", "5", "6", "2"].map(DuplicateWindow.fingerprint))
    }

    @Test func observesPublishDelayClampedAtZero() throws {
        var fold = MetricsFold(publishDelayBuckets: [0.1, 1, 10])
        fold.fold(event("orders", "order", "order_placed", time: 1_700_000_100), storedAt: 1_700_000_100.25, sequence: 1)
        fold.fold(event("orders", "order", "order_placed", time: 1_700_000_100), storedAt: 1_700_000_102.5, sequence: 2)
        fold.fold(event("orders", "order", "order_placed", time: 1_700_000_100), storedAt: 1_700_000_099, sequence: 3)
        fold.fold(event("orders", "order", "order_placed", time: 1_700_000_100), storedAt: 1_700_001_000, sequence: 4)
        fold.fold(event("orders", "order", "order_placed", time: nil), storedAt: 1_700_000_100, sequence: 5)
        fold.fold(event("orders", "order", "order_placed", time: 1_700_000_100), storedAt: nil, sequence: 6)
        fold.fold(event("orders", "order", "order_placed", time: 1_700_000_100), storedAt: .nan, sequence: 7)
        let value = try #require(fold.value("cim_event_publish_delay_seconds", ["domain": "orders"]))
        #expect(value == .histogram(HistogramValue(upperBounds: [0.1, 1, 10], bucketCounts: [1, 1, 1, 1], sum: 902.75)))
    }

    @Test func observesPublishDelayAtTheBucketBoundInclusive() throws {
        var fold = MetricsFold(publishDelayBuckets: [1, 2])
        fold.fold(event("orders", "order", "order_placed", time: 1_700_000_010), storedAt: 1_700_000_011, sequence: 1)
        fold.fold(event("orders", "order", "order_placed", time: 1_700_000_010), storedAt: 1_700_000_012, sequence: 2)
        let value = try #require(fold.value("cim_event_publish_delay_seconds", ["domain": "orders"]))
        #expect(value == .histogram(HistogramValue(upperBounds: [1, 2], bucketCounts: [1, 1, 0], sum: 3)))
    }

    @Test func keepsTheNewestEventTimePerDomain() {
        var fold = MetricsFold()
        fold.fold([
            event("orders", "order", "order_placed", time: 1_700_000_200.5),
            event("orders", "order", "order_placed", time: 1_700_000_100),
            event("orders", "order", "order_placed"),
            event("orders", "order", "order_placed", time: .infinity),
            event("billing", "invoice", "invoice_sent", time: 1_700_000_050),
            event("audit", "log", "entry_written"),
        ])
        #expect(fold.value("cim_event_last_timestamp_seconds", ["domain": "orders"]) == .number(1_700_000_200.5))
        #expect(fold.value("cim_event_last_timestamp_seconds", ["domain": "billing"]) == .number(1_700_000_050))
        #expect(fold.value("cim_event_last_timestamp_seconds", ["domain": "audit"]) == nil)
    }

    @Test func observesLiveLagOnlyWhenAsked() throws {
        var fold = MetricsFold(lagBuckets: [0.5, 5])
        fold.fold(event("orders", "order", "order_placed", time: 1_700_000_100), storedAt: 1_700_000_101, sequence: 1)
        #expect(fold.value("cim_event_lag_seconds", ["domain": "orders"]) == nil)
        fold.observeLag(0.2, domain: "orders")
        fold.observeLag(7, domain: "orders")
        fold.observeLag(-3, domain: "orders")
        fold.observeLag(.nan, domain: "orders")
        fold.observeLag(.infinity, domain: "orders")
        let value = try #require(fold.value("cim_event_lag_seconds", ["domain": "orders"]))
        #expect(value == .histogram(HistogramValue(upperBounds: [0.5, 5], bucketCounts: [2, 0, 1], sum: 7.2)))
    }

    @Test func sanitizesConfiguredBuckets() {
        let fold = MetricsFold(publishDelayBuckets: [5, 1, .infinity, -1, 1, .nan, 0], lagBuckets: [])
        #expect(fold.publishDelayBuckets == [0, 1, 5])
        #expect(fold.lagBuckets == [])
    }

    @Test func countsSeriesOfEveryEventFamily() {
        var fold = MetricsFold()
        fold.fold(
            event("orders", "order", "order_failed", time: 1_700_000_001, failed: true, violations: [.badTimestamp]),
            storedAt: 1_700_000_002,
            sequence: 1
        )
        fold.fold(event("billing", "invoice", "invoice_sent"), storedAt: nil, sequence: 2)
        fold.observeLag(1, domain: "orders")
        let expected: [String: UInt64] = [
            "cim_events_total": 2, "cim_events_failed_total": 1, "cim_event_schema_violations_total": 1,
            "cim_event_duplicates_total": 2, "cim_event_lag_seconds": 1, "cim_event_publish_delay_seconds": 1,
            "cim_event_last_timestamp_seconds": 1,
        ]
        for (family, count) in expected {
            #expect(fold.count("cim_monitor_series", ["family": family]) == count, "\(family)")
            #expect(fold.count("cim_monitor_series_overflow_total", ["family": family]) == 0, "\(family)")
        }
    }

    @Test func foldIsDeterministic() {
        var generator = SplitMix64(seed: 7)
        let events = (0..<2000).map { _ in randomEvent(using: &generator) }
        var first = MetricsFold()
        var second = MetricsFold()
        first.fold(events, storedAt: 5)
        second.fold(events, storedAt: 5)
        #expect(first == second)
        #expect(first.snapshot() == second.snapshot())
    }
}
