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

@Suite struct HandshakeStateMachineTests {
    let info = ServerInfo(serverID: "S", version: "2.15.1", maxPayload: 1 << 20)

    @Test func plainHandshake() {
        var machine = HandshakeStateMachine(clientRequiresTLS: false)
        #expect(machine.infoReceived(info) == .sendConnect(info))
        #expect(machine.pongReceived() == .succeed(info))
        #expect(machine.connectionClosed() == .wait)
    }

    @Test func serverRequiringTLSUpgradesFirst() {
        var tlsInfo = info
        tlsInfo.tlsRequired = true
        var machine = HandshakeStateMachine(clientRequiresTLS: false)
        #expect(machine.infoReceived(tlsInfo) == .startTLS)
        #expect(machine.pongReceived() == .wait)
        #expect(machine.tlsEstablished() == .sendConnect(tlsInfo))
        #expect(machine.pongReceived() == .succeed(tlsInfo))
    }

    @Test func clientRequiringTLSFailsAgainstAPlainServer() {
        var machine = HandshakeStateMachine(clientRequiresTLS: true)
        guard case .fail(let error) = machine.infoReceived(info) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.code == .tlsFailed)
    }

    @Test func authorizationErrorFailsTheHandshake() {
        var machine = HandshakeStateMachine(clientRequiresTLS: false)
        _ = machine.infoReceived(info)
        let error = NATSError.fromServer("Authorization Violation")
        #expect(machine.errorReceived(error) == .fail(error))
        #expect(machine.pongReceived() == .wait)
    }

    @Test func closeDuringHandshakeFails() {
        var machine = HandshakeStateMachine(clientRequiresTLS: false)
        guard case .fail = machine.connectionClosed() else {
            Issue.record("expected failure")
            return
        }
    }
}

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
