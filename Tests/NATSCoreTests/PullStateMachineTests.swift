import Testing

@testable import NATSCore

@Suite struct PullStateMachineTests {
    @Test func topsUpBelowTheThreshold() {
        var machine = PullStateMachine(batch: 10)
        #expect(machine.started() == .pull(10))
        for _ in 0..<4 { #expect(machine.messageReceived() == .none) }
        #expect(machine.messageReceived() == .none)  // 5 outstanding, threshold 5: not below yet
        #expect(machine.messageReceived() == .pull(6))
        #expect(machine.outstanding == 10)
    }

    @Test func expiredRequestsReleaseTheirCount() {
        var machine = PullStateMachine(batch: 10)
        _ = machine.started()
        #expect(machine.statusReceived(code: 408, description: "Request Timeout", pendingMessages: 10) == .pull(10))
        #expect(machine.statusReceived(code: 100, description: "Idle Heartbeat", pendingMessages: nil) == .none)
    }

    @Test func deletedConsumerTerminates() {
        var machine = PullStateMachine(batch: 10)
        _ = machine.started()
        #expect(machine.statusReceived(code: 409, description: "Consumer Deleted", pendingMessages: nil) == .terminate("Consumer Deleted"))
    }
}
