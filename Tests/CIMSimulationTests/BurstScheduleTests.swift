import Testing

@testable import CIMSimulation

@Suite struct BurstScheduleTests {
    @Test func isDeterministicAndAveragesNearTheRate() {
        var first = BurstSchedule(seed: 3)
        var second = BurstSchedule(seed: 3)
        let factors = stride(from: 0.0, to: 3600, by: 0.5).map { first.factor(at: $0) }
        #expect(factors == stride(from: 0.0, to: 3600, by: 0.5).map { second.factor(at: $0) })
        #expect(factors.contains { $0 > 2.5 } && factors.contains { $0 < 0.5 })
        let mean = factors.reduce(0, +) / Double(factors.count)
        #expect(mean > 0.8 && mean < 1.3, "mean factor \(mean)")
    }

    @Test func differentSeedsGiveDifferentSchedules() {
        var first = BurstSchedule(seed: 3)
        var second = BurstSchedule(seed: 4)
        let times = Array(stride(from: 0.0, to: 600, by: 1))
        #expect(times.map { first.factor(at: $0) } != times.map { second.factor(at: $0) })
    }

    @Test func theFactorHoldsWithinAPhase() {
        var schedule = BurstSchedule(seed: 21)
        let start = schedule.factor(at: 0)
        // Every phase lasts at least a second.
        #expect(stride(from: 0.0, to: 0.99, by: 0.01).allSatisfy { schedule.factor(at: $0) == start })
    }
}
