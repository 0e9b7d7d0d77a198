import Testing

@testable import NATSCore

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
