import Testing

@testable import NATSCore

@Suite struct PingStateMachineTests {
    @Test func staleAfterTooManyUnansweredPings() {
        var machine = PingStateMachine(maxOutstanding: 2)
        #expect(machine.timerFired() == .sendPing)
        #expect(machine.timerFired() == .sendPing)
        guard case .closeConnection(let error) = machine.timerFired() else {
            Issue.record("expected the connection to be closed as stale")
            return
        }
        #expect(error.code == .staleConnection)
    }

    @Test func pongResetsTheCount() {
        var machine = PingStateMachine(maxOutstanding: 1)
        #expect(machine.timerFired() == .sendPing)
        machine.pongReceived()
        #expect(machine.timerFired() == .sendPing)
        #expect(machine.outstanding == 1)
    }
}
