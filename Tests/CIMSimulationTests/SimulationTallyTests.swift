import Testing

@testable import CIMSimulation

@Suite struct SimulationTallyTests {
    @Test func countsWhatWasPublished() {
        var tally = SimulationTally()
        #expect(tally.failureRatio == 0)
        tally.record(SimulatedMessage(subject: "a", payload: [1, 2, 3], kind: .event, workflowMilestone: .started))
        tally.record(SimulatedMessage(subject: "b", payload: [1], kind: .failure, workflowMilestone: .failed))
        tally.record(SimulatedMessage(subject: "c", payload: [], kind: .malformed))
        tally.record(SimulatedMessage(subject: "d", payload: [1, 2], kind: .event, workflowMilestone: .completed))
        #expect(tally.published == 4 && tally.bytes == 6)
        #expect(tally.kinds == [.event: 2, .failure: 1, .malformed: 1])
        #expect(tally.workflowsStarted == 1 && tally.workflowsCompleted == 1 && tally.workflowsFailed == 1)
        #expect(tally.failures == 1 && tally.failureRatio == 0.25)
    }

    @Test func agreesWithAWorkloadRun() {
        var workload = SimulatedWorkload(seed: 17)
        var tally = SimulationTally()
        var messages: [SimulatedMessage] = []
        for index in 0..<5000 {
            let message = workload.next(at: SimulatedTimestamp(seconds: 1_760_000_000 + Double(index) * 0.01))
            messages.append(message)
            tally.record(message)
        }
        #expect(tally.published == 5000 && tally.bytes == messages.reduce(0) { $0 + $1.payload.count })
        #expect(tally.workflowsStarted >= tally.workflowsCompleted + tally.workflowsFailed)
        #expect(tally.failureRatio > 0.02 && tally.failureRatio < 0.045, "\(tally.failureRatio)")
    }
}
