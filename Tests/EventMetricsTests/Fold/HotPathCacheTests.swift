import CIMEvents
import CIMSimulation
import Testing

@testable import EventMetrics

@Suite struct HotPathCacheTests {
    @Test func countsEqualLabelsTogetherWhateverTheirStorage() {
        var fold = MetricsFold()
        for index in 0..<100 {
            // Freshly decoded strings each time (not interned): equal text, different storage.
            let domain = String(decoding: Array("orders_domain_long_enough_for_heap".utf8), as: UTF8.self)
            let type = index.isMultiple(of: 2) ? "order_placed" : String(decoding: Array("order_placed".utf8), as: UTF8.self)
            fold.fold(event(domain, "order", type), storedAt: nil, sequence: UInt64(index + 1))
        }
        #expect(fold.seriesCount("cim_events_total") == 1)
        #expect(
            fold.count("cim_events_total", ["domain": "orders_domain_long_enough_for_heap", "aggregate_type": "order", "event_type": "order_placed"])
                == 100
        )
    }

    @Test func countsCanonicallyEquivalentLabelsAsOneSeries() {
        var fold = MetricsFold()
        fold.fold([event("caf\u{E9}", "a", "b"), event("cafe\u{301}", "a", "b"), event("caf\u{E9}", "a", "b")])
        #expect(fold.seriesCount("cim_events_total") == 1)
        #expect(fold.eventsProcessed == 3)
    }

    @Test func keepsCountsExactWhenMoreLabelSetsCycleThanTheCacheHolds() {
        var fold = MetricsFold(limits: CardinalityLimits(domain: 100, aggregateType: 100, eventType: 100, seriesPerFamily: 100_000))
        let domains = (0..<20).map { "domain_number_\($0)" }
        let aggregates = (0..<10).map { "aggregate_number_\($0)" }
        let types = (0..<40).map { "event_type_number_\($0)" }
        for _ in 0..<3 {
            for domain in domains {
                for aggregate in aggregates {
                    for type in types { fold.fold(event(domain, aggregate, type), storedAt: nil, sequence: fold.lastSequence + 1) }
                }
            }
        }
        #expect(fold.seriesCount("cim_events_total") == 8000)
        let counts = fold.families().first { $0.name == "cim_events_total" }!.series.map(\.value)
        #expect(counts.allSatisfy { $0 == .count(3) })
    }
}
