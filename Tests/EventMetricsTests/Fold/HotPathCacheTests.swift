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

@Suite struct FingerprintTests {
    @Test func fingerprintsAreStableAcrossProcessesAndPlatforms() {
        // Snapshots hold these values: changing the function needs a new snapshot version. The expected values
        // come from a separate transcription of the reference MurmurHash64A (seed 0).
        #expect(DuplicateWindow.fingerprint("") == 1)
        #expect(MurmurHash64A.hash(Array("".utf8)) == 0)
        #expect(DuplicateWindow.fingerprint("a") == 0x0717_17D2_D36B_6B11)
        #expect(DuplicateWindow.fingerprint("0190f3c2-7b1e-7d4a-9c3e-5f2a8b6d4e10") == 0xB7BC_2AEE_4A97_F9BE)
    }

    @Test func fingerprintsDifferForEveryLengthAndTail() {
        var seen = Set<UInt64>()
        for length in 0..<64 {
            for last in ["a", "b"] {
                #expect(seen.insert(DuplicateWindow.fingerprint(String(repeating: "x", count: length) + last)).inserted)
            }
        }
    }

    @Test func fingerprintSetBehavesLikeASet() {
        var generator = SplitMix64(seed: 9)
        var set = FingerprintSet()
        var model = Set<UInt64>()
        for _ in 0..<200_000 {
            // A small universe makes collisions, probe runs and wrap-around frequent.
            let value = UInt64.random(in: 1...5000, using: &generator) &* 0x1_0000_0001
            if Bool.random(using: &generator) {
                #expect(set.insert(value) == model.insert(value).inserted)
            } else {
                set.remove(value)
                model.remove(value)
            }
            if model.count % 997 == 0 { #expect(set.count == model.count) }
        }
        #expect(set.count == model.count)
        for value in model { #expect(set.contains(value)) }
    }
}
