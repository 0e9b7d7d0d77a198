import CIMEvents
import Testing

@testable import CIMSimulation

/// `simulate --failure-rate`: the share of domain events that are failures, which makes a failure burst on demand.
@Suite struct FailureRateTests {
    /// The domain events (not workflow steps, GPU agent events, malformed payloads or retries) of `count` messages, with
    /// whether the mapper classifies each as a failure.
    static func domainEvents(failureRate: Double, count: Int = 4000) -> [(message: SimulatedMessage, failed: Bool)] {
        var workload = SimulatedWorkload(seed: 3, failureRate: failureRate)
        var mapper = EventMapper()
        return (0..<count).compactMap { index in
            let message = workload.next(at: SimulatedTimestamp(seconds: 1_760_000_000 + Double(index) * 0.01))
            guard message.kind == .event || message.kind == .failure, message.workflowMilestone == nil,
                !message.subject.hasPrefix("events.workflow."), !message.subject.hasPrefix("cim.gpu.")
            else { return nil }
            let event = mapper.map(subject: message.subject, headers: message.headerPairs, payload: message.payload)
            return (message, event.failed)
        }
    }

    @Test func everyDomainEventFailsAtRateOne() {
        let events = Self.domainEvents(failureRate: 1)
        #expect(events.count > 2000)
        #expect(events.allSatisfy { $0.message.kind == .failure && $0.failed })
    }

    @Test func noDomainEventFailsAtRateZero() {
        let events = Self.domainEvents(failureRate: 0)
        #expect(events.count > 2000)
        #expect(events.allSatisfy { $0.message.kind == .event && !$0.failed })
    }

    @Test func theDefaultIsAboutThreePercentAndOutOfRangeRatesAreClamped() {
        let events = Self.domainEvents(failureRate: SimulatedWorkload.defaultFailureRate, count: 20_000)
        let share = Double(events.filter { $0.failed }.count) / Double(events.count)
        #expect((0.02...0.045).contains(share), "\(share)")
        #expect(SimulatedWorkload(seed: 1, failureRate: 7).failureRate == 1)
        #expect(SimulatedWorkload(seed: 1, failureRate: -1).failureRate == 0)
        #expect(SimulatedWorkload(seed: 1, failureRate: .nan).failureRate == SimulatedWorkload.defaultFailureRate)
    }
}
