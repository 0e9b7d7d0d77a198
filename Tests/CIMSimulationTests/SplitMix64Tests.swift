import Testing

@testable import CIMSimulation

@Suite struct SplitMix64Tests {
    @Test func producesTheReferenceSequence() {
        // The values of the reference implementation (Vigna's splitmix64.c) for seeds 0 and 1234567.
        var zero = SplitMix64(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var other = SplitMix64(seed: 1_234_567)
        #expect([other.next(), other.next(), other.next()] == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423])
    }

    @Test func drawsStayInTheirRanges() {
        var random = SplitMix64(seed: 5)
        for _ in 0..<10_000 {
            #expect((0..<7).contains(random.below(7)))
            #expect((-3...3).contains(random.int(in: -3...3)))
            let unit = random.unit()
            #expect(unit >= 0 && unit < 1)
            let value = random.double(in: 2.5...4)
            #expect(value >= 2.5 && value <= 4)
        }
    }

    @Test func everyValueOfASmallBoundIsDrawn() {
        var random = SplitMix64(seed: 8)
        var seen = Set<Int>()
        for _ in 0..<1000 { seen.insert(random.below(10)) }
        #expect(seen == Set(0..<10))
    }

    @Test func weightedIndicesFollowTheirWeights() {
        var random = SplitMix64(seed: 12)
        var counts = [0, 0, 0]
        for _ in 0..<30_000 { counts[random.weightedIndex([1, 0, 2])] += 1 }
        #expect(counts[1] == 0)
        let share = Double(counts[2]) / 30_000
        #expect(share > 0.64 && share < 0.69, "share of weight 2 of 3: \(share)")
    }

    @Test func chanceMatchesItsProbability() {
        var random = SplitMix64(seed: 13)
        let hits = (0..<20_000).filter { _ in random.chance(0.25) }.count
        #expect(hits > 4700 && hits < 5300, "\(hits) of 20000 at 0.25")
        #expect(!(0..<1000).contains { _ in random.chance(0) })
        #expect((0..<1000).allSatisfy { _ in random.chance(1) })
    }
}
