import Testing

@testable import NATSCore

@Suite struct ReconnectStateMachineTests {
    let a = ServerURL(host: "a")
    let b = ServerURL(host: "b")

    @Test func firstAttemptIsImmediateThenBacksOffPerPass() {
        var machine = ReconnectStateMachine(servers: [a, b], initialWait: 1, maxWait: 4, maxJitter: 0.5)
        machine.connected(to: a)
        #expect(machine.connectionLost(jitter: 0.5) == .connect(b, afterSeconds: 0))
        #expect(machine.attemptFailed(b, jitter: 0.5) == .connect(a, afterSeconds: 0))
        #expect(machine.attemptFailed(a, jitter: 0.5) == .connect(b, afterSeconds: 1.25))
        #expect(machine.attemptFailed(b, jitter: 0) == .connect(a, afterSeconds: 0))
        #expect(machine.attemptFailed(a, jitter: 0) == .connect(b, afterSeconds: 2))
        _ = machine.attemptFailed(b, jitter: 0)
        #expect(machine.attemptFailed(a, jitter: 0) == .connect(b, afterSeconds: 4))
        _ = machine.attemptFailed(b, jitter: 0)
        #expect(machine.attemptFailed(a, jitter: 0) == .connect(b, afterSeconds: 4))
    }

    @Test func successResetsTheBackoff() {
        var machine = ReconnectStateMachine(servers: [a], initialWait: 1, maxWait: 4, maxJitter: 0)
        _ = machine.connectionLost(jitter: 0)
        _ = machine.attemptFailed(a, jitter: 0)
        machine.connected(to: a)
        #expect(machine.connectionLost(jitter: 0) == .connect(a, afterSeconds: 0))
    }

    @Test func serversLeaveThePoolAfterTooManyFailures() {
        var machine = ReconnectStateMachine(servers: [a], maxAttemptsPerServer: 2)
        _ = machine.connectionLost(jitter: 0)
        _ = machine.attemptFailed(a, jitter: 0)
        guard case .giveUp(let error) = machine.attemptFailed(a, jitter: 0) else {
            Issue.record("expected to give up")
            return
        }
        #expect(error.code == .noServers)
    }

    @Test func discoveredServersJoinAndLeaveThePool() {
        var machine = ReconnectStateMachine(servers: [a])
        machine.serversDiscovered(["10.0.0.2:4222", "10.0.0.3:4223"], tls: false)
        #expect(machine.servers.map(\.host) == ["a", "10.0.0.2", "10.0.0.3"])
        machine.serversDiscovered(["10.0.0.3:4223"], tls: false)
        #expect(machine.servers.map(\.host) == ["a", "10.0.0.3"])
        #expect(machine.servers.last?.port == 4223)
    }

    @Test func ignoresDiscoveredServersWhenAsked() {
        var machine = ReconnectStateMachine(servers: [a], ignoreDiscovered: true)
        machine.serversDiscovered(["10.0.0.2:4222"], tls: false)
        #expect(machine.servers == [a])
    }
}
