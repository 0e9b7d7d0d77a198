import CIMEvents
import Foundation
import Testing

@testable import EventMetrics

@Suite struct CardinalityTests {
    static let overflow = MetricsFold.overflowLabelValue

    @Test func foldsAMillionDistinctEventTypesIntoBoundedSeries() throws {
        let residentBefore = Self.residentBytes()
        var fold = MetricsFold()
        for index in 0..<1_000_000 {
            fold.fold(
                event("orders", "order", "type_\(index)", time: Double(index), id: "id-\(index)"),
                storedAt: Double(index) + 0.5,
                sequence: UInt64(index + 1)
            )
        }
        let limit = CardinalityLimits().eventType
        #expect(fold.eventTypes.count == limit + 1)
        #expect(fold.eventsSeries.count == limit + 1)
        #expect(fold.eventsIndex.count == limit + 1)
        #expect(fold.seriesCount("cim_events_total") == limit + 1)
        #expect(fold.count("cim_monitor_series", ["family": "cim_events_total"]) == UInt64(limit + 1))
        #expect(
            fold.count("cim_events_total", ["domain": "orders", "aggregate_type": "order", "event_type": Self.overflow]) == UInt64(1_000_000 - limit)
        )
        #expect(fold.count("cim_events_total", ["domain": "orders", "aggregate_type": "order", "event_type": "type_1999"]) == 1)
        #expect(fold.count("cim_monitor_series_overflow_total", ["family": "cim_events_total"]) == UInt64(1_000_000 - limit))
        #expect(fold.count("cim_monitor_series_overflow_total", ["family": "cim_event_duplicates_total"]) == 0)
        #expect(fold.duplicateWindow.count == MetricsFold.defaultDuplicateWindow)
        #expect(fold.eventsProcessed == 1_000_000)
        if let before = residentBefore, let after = Self.residentBytes() {
            print("cardinality: resident memory grew by \((after - before) >> 20) MiB over 1,000,000 distinct event types")
        }
    }

    @Test func foldsDomainsPastTheLimitIntoOverflowInEveryFamily() throws {
        var fold = MetricsFold(limits: CardinalityLimits(domain: 2), publishDelayBuckets: [1], lagBuckets: [1])
        for domain in ["a", "b", "c", "d"] {
            fold.fold(
                event(domain, "agg", "thing_failed", time: 1_700_000_010, id: "same", failed: true, errorType: "boom", violations: [.badTimestamp]),
                storedAt: 1_700_000_011,
                sequence: fold.lastSequence + 1
            )
            fold.observeLag(0.5, domain: domain)
        }
        #expect(fold.count("cim_events_total", ["domain": "a", "aggregate_type": "agg", "event_type": "thing_failed"]) == 1)
        #expect(fold.count("cim_events_total", ["domain": Self.overflow, "aggregate_type": "agg", "event_type": "thing_failed"]) == 2)
        #expect(
            fold.count(
                "cim_events_failed_total",
                ["domain": Self.overflow, "aggregate_type": "agg", "event_type": "thing_failed", "error_type": "boom"]
            ) == 2
        )
        #expect(fold.count("cim_event_schema_violations_total", ["domain": Self.overflow, "reason": "bad_timestamp"]) == 2)
        #expect(fold.count("cim_event_duplicates_total", ["domain": Self.overflow]) == 2)
        #expect(fold.value("cim_event_last_timestamp_seconds", ["domain": Self.overflow]) == .number(1_700_000_010))
        #expect(
            fold.value("cim_event_publish_delay_seconds", ["domain": Self.overflow])
                == .histogram(HistogramValue(upperBounds: [1], bucketCounts: [2, 0], sum: 2))
        )
        #expect(
            fold.value("cim_event_lag_seconds", ["domain": Self.overflow])
                == .histogram(HistogramValue(upperBounds: [1], bucketCounts: [2, 0], sum: 1))
        )
        #expect(fold.overflowCounts == Dictionary(uniqueKeysWithValues: EventFamily.allCases.map { ($0.name, UInt64(2)) }))
        for family in EventFamily.allCases {
            #expect(fold.count("cim_monitor_series_overflow_total", ["family": family.name]) == 2, "\(family.name)")
            #expect(fold.count("cim_monitor_series", ["family": family.name]) == 3, "\(family.name)")
        }
    }

    @Test func foldsEachLabelIndependently() {
        var fold = MetricsFold(limits: CardinalityLimits(aggregateType: 1, eventType: 1))
        fold.fold([event("d", "a1", "e1"), event("d", "a2", "e1"), event("d", "a1", "e2"), event("d", "a2", "e2"), event("d", "a1", "e1")])
        #expect(fold.count("cim_events_total", ["domain": "d", "aggregate_type": "a1", "event_type": "e1"]) == 2)
        #expect(fold.count("cim_events_total", ["domain": "d", "aggregate_type": Self.overflow, "event_type": "e1"]) == 1)
        #expect(fold.count("cim_events_total", ["domain": "d", "aggregate_type": "a1", "event_type": Self.overflow]) == 1)
        #expect(fold.count("cim_events_total", ["domain": "d", "aggregate_type": Self.overflow, "event_type": Self.overflow]) == 1)
        #expect(fold.count("cim_monitor_series_overflow_total", ["family": "cim_events_total"]) == 3)
    }

    @Test func capsSeriesPerFamilyWithOneAllOverflowSeries() {
        var fold = MetricsFold(limits: CardinalityLimits(seriesPerFamily: 3))
        fold.fold((0..<10).map { event("d\($0)", "agg", "type", failed: true, errorType: "e\($0)") })
        #expect(fold.seriesCount("cim_events_total") == 3)
        #expect(fold.count("cim_events_total", ["domain": "d1", "aggregate_type": "agg", "event_type": "type"]) == 1)
        #expect(fold.count("cim_events_total", ["domain": Self.overflow, "aggregate_type": Self.overflow, "event_type": Self.overflow]) == 8)
        #expect(fold.count("cim_monitor_series_overflow_total", ["family": "cim_events_total"]) == 8)
        #expect(fold.seriesCount("cim_events_failed_total") == 3)
        let allOverflow: KeyValuePairs<String, String> = [
            "domain": Self.overflow, "aggregate_type": Self.overflow, "event_type": Self.overflow, "error_type": Self.overflow,
        ]
        #expect(fold.count("cim_events_failed_total", allOverflow) == 8)
        // The domains themselves are within their limit, so the per-domain families keep them.
        #expect(fold.seriesCount("cim_event_duplicates_total") == 10)
        #expect(fold.count("cim_monitor_series_overflow_total", ["family": "cim_event_duplicates_total"]) == 0)
    }

    @Test func capsFailureSeriesIndependentlyOfEventSeries() {
        var fold = MetricsFold(limits: CardinalityLimits(errorType: 100, seriesPerFamily: 2))
        fold.fold((0..<5).map { event("d", "agg", "type", failed: true, errorType: "e\($0)") })
        #expect(fold.seriesCount("cim_events_total") == 1)
        #expect(fold.seriesCount("cim_events_failed_total") == 2)
        #expect(fold.count("cim_monitor_series_overflow_total", ["family": "cim_events_failed_total"]) == 4)
        #expect(fold.count("cim_monitor_series_overflow_total", ["family": "cim_events_total"]) == 0)
    }

    @Test func foldsErrorTypesPastTheLimit() {
        var fold = MetricsFold(limits: CardinalityLimits(errorType: 1))
        fold.fold([event("d", "a", "x_failed", failed: true, errorType: "one"), event("d", "a", "x_failed", failed: true, errorType: "two")])
        #expect(fold.count("cim_events_failed_total", ["domain": "d", "aggregate_type": "a", "event_type": "x_failed", "error_type": "one"]) == 1)
        #expect(
            fold.count("cim_events_failed_total", ["domain": "d", "aggregate_type": "a", "event_type": "x_failed", "error_type": Self.overflow]) == 1
        )
        #expect(fold.count("cim_monitor_series_overflow_total", ["family": "cim_events_failed_total"]) == 1)
    }

    @Test func foldsEverythingIntoOverflowWithZeroLimits() {
        var fold = MetricsFold(limits: CardinalityLimits(domain: 0, aggregateType: -5, eventType: 0, errorType: 0, seriesPerFamily: 0))
        fold.fold([event("a", "b", "c"), event("d", "e", "f")])
        #expect(fold.seriesCount("cim_events_total") == 1)
        #expect(fold.count("cim_events_total", ["domain": Self.overflow, "aggregate_type": Self.overflow, "event_type": Self.overflow]) == 2)
        #expect(fold.limits.seriesPerFamily == 1)
    }

    @Test func keepsSeriesOnceCreatedWhenLimitsAreLowered() {
        var fold = MetricsFold()
        fold.fold([event("a", "b", "c"), event("d", "e", "f")])
        fold.limits = CardinalityLimits(domain: 1)
        fold.fold([event("a", "b", "c"), event("d", "e", "f"), event("g", "h", "i")])
        #expect(fold.count("cim_events_total", ["domain": "d", "aggregate_type": "e", "event_type": "f"]) == 2)
        #expect(fold.count("cim_events_total", ["domain": Self.overflow, "aggregate_type": "h", "event_type": "i"]) == 1)
    }

    /// The resident set size from `/proc/self/statm`, where there is one.
    static func residentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
