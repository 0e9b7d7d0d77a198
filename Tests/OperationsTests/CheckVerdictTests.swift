import Operations
import Testing

@Suite struct CheckVerdictTests {
    @Test(arguments: [
        (3, 3, CheckStatus.ok), (2, 3, .warn), (1, 3, .critical), (0, 3, .critical), (4, 5, .warn), (2, 5, .critical), (1, 1, .ok), (3, 0, .ok),
    ])
    func aMinorityDownIsWarnAndAMajorityDownIsCritical(up: Int, expected: Int, status: CheckStatus) {
        #expect(CheckVerdict.cluster(up: up, expected: expected) == status)
    }

    @Test func agesAndRatiosCrossTheirThresholds() {
        #expect(CheckVerdict.age(10, (60, 300)) == .ok)
        #expect(CheckVerdict.age(61, (60, 300)) == .warn)
        #expect(CheckVerdict.age(301, (60, 300)) == .critical)
        #expect(CheckVerdict.ratio(0.79, (0.8, 0.9)) == .ok)
        #expect(CheckVerdict.ratio(0.8, (0.8, 0.9)) == .warn)
        #expect(CheckVerdict.ratio(0.95, (0.8, 0.9)) == .critical)
        #expect(CheckVerdict.age(.infinity, (60, 300)) == .critical)
    }

    @Test func aConsumerWithPendingMessagesThatDoesNotMoveIsStalled() {
        let thresholds = CheckThresholds()
        #expect(CheckVerdict.consumer(pending: 5, inactiveFor: 10, thresholds) == .ok)
        #expect(CheckVerdict.consumer(pending: 5, inactiveFor: 3600, thresholds) == .critical)
        #expect(CheckVerdict.consumer(pending: 0, inactiveFor: 3600, thresholds) == .ok)
        #expect(CheckVerdict.consumer(pending: 10_000, inactiveFor: nil, thresholds) == .warn)
        #expect(CheckVerdict.consumer(pending: 100_000, inactiveFor: nil, thresholds) == .critical)
    }

    @Test func theWorstResultDecidesTheExitStatus() {
        let results = [CheckResult("a", .ok, "1"), CheckResult("b", .warn, "2", action: "do x"), CheckResult("c", .ok, "3")]
        #expect(CheckVerdict.worst(results) == .warn)
        #expect(CheckVerdict.worst(results).exitCode == 1)
        #expect(CheckVerdict.worst([]) == .ok)
        #expect(CheckStatus.critical.exitCode == 2)
    }

    @Test func anOkLineSaysNothingToDo() {
        #expect(CheckResult("nats", .ok, "connected", action: "ignored").line == "ok       nats                     connected")
        #expect(CheckResult("nats", .critical, "down", action: "start it").line == "critical nats                     down — start it")
    }

    @Test func agesReadAsPeopleSayThem() {
        #expect(formatAge(42) == "42s")
        #expect(formatAge(310) == "5m10s")
        #expect(formatAge(3 * 3600 + 120) == "3h2m")
        #expect(formatAge(2 * 86_400 + 4 * 3600) == "2d4h")
        #expect(formatAge(-5) == "0s")
        #expect(formatAge(.nan) == "?")
        #expect(formatAge(1e300) == "?")
    }
}
