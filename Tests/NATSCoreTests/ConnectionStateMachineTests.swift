import Testing

@testable import NATSCore

/// The client's lifecycle, transition by transition, without sockets.
@Suite struct ConnectionStateMachineTests {
    /// A connection handle: only its identity matters to the machine.
    final class Handle {}

    typealias Machine = ConnectionStateMachine<Handle>

    let a = ServerURL(host: "a")
    let b = ServerURL(host: "b")
    let c = ServerURL(host: "c")

    func machine(_ servers: [ServerURL], allowReconnect: Bool = true, maxAttempts: Int = -1) -> Machine {
        Machine(
            reconnect: ReconnectStateMachine(servers: servers, initialWait: 0.25, maxWait: 4, maxJitter: 0, maxAttemptsPerServer: maxAttempts),
            allowReconnect: allowReconnect
        )
    }

    /// Connects `machine` to its first server with a fresh handle.
    func connected(_ servers: [ServerURL], allowReconnect: Bool = true, maxAttempts: Int = -1) -> (Machine, Handle) {
        var machine = machine(servers, allowReconnect: allowReconnect, maxAttempts: maxAttempts)
        let handle = Handle()
        guard case .connect(let url, _) = machine.connectRequested() else {
            Issue.record("no first attempt")
            return (machine, handle)
        }
        #expect(machine.connectionEstablished(handle, id: ObjectIdentifier(handle), url: url, announced: []) == .activate(reconnected: false))
        return (machine, handle)
    }

    let refused = NATSError(.connectionFailed, "refused")

    @Test func firstConnectTriesEachServerOnceInOrderThenFailsAndMayBeRetried() {
        var machine = machine([a, b])
        #expect(machine.connectRequested() == .connect(a, afterSeconds: 0))
        #expect(machine.outbound == .hold)
        #expect(machine.connectionAttemptFailed(a, error: refused, jitter: 0) == .connect(b, afterSeconds: 0))
        let authorization = NATSError(.authorizationViolation, "no")
        #expect(machine.connectionAttemptFailed(b, error: authorization, jitter: 0) == .failConnect(authorization))
        guard case .idle = machine.phase else {
            Issue.record("a failed connect leaves the machine idle, got \(machine.phase)")
            return
        }
        // The regression of the hardening issue: a second connect() starts over instead of failing for ever.
        #expect(machine.connectRequested() == .connect(a, afterSeconds: 0))
    }

    @Test func connectWhileConnectingOrConnectedOrClosedIsRefused() {
        var machine = machine([a])
        _ = machine.connectRequested()
        guard case .failConnect(let running) = machine.connectRequested() else {
            Issue.record("connect while connecting")
            return
        }
        #expect(running.code == .invalidConfiguration)
        let handle = Handle()
        _ = machine.connectionEstablished(handle, id: ObjectIdentifier(handle), url: a, announced: [])
        guard case .failConnect(let connected) = machine.connectRequested() else {
            Issue.record("connect while connected")
            return
        }
        #expect(connected.code == .invalidConfiguration)
        _ = machine.closeRequested()
        #expect(machine.connectRequested() == .failConnect(NATSError(.connectionClosed, "")))
    }

    @Test func closeWhileConnectingDiscardsTheConnectionThatArrivesLate() {
        var machine = machine([a])
        _ = machine.connectRequested()
        guard case .close(let connection) = machine.closeRequested() else {
            Issue.record("close while connecting")
            return
        }
        #expect(connection == nil)
        let late = Handle()
        guard case .discard(let error) = machine.connectionEstablished(late, id: ObjectIdentifier(late), url: a, announced: []) else {
            Issue.record("a connection after close must be discarded")
            return
        }
        #expect(error.code == .connectionClosed)
        #expect(machine.isClosed)
        #expect(machine.connectionAttemptFailed(a, error: refused, jitter: 0) == .none)
        #expect(machine.closeRequested().isNone)
    }

    @Test func connectedWritesAndAnnouncedServersJoinThePool() {
        var machine = machine([a])
        _ = machine.connectRequested()
        let handle = Handle()
        #expect(machine.connectionEstablished(handle, id: ObjectIdentifier(handle), url: a, announced: ["b:4222"]) == .activate(reconnected: false))
        #expect(machine.outbound == .write)
        #expect(machine.connection === handle)
        #expect(machine.connectedServer == a)
        #expect(machine.acceptsFlush && machine.acceptsSubscriptions)
        #expect(machine.reconnect.servers.map(\.host) == ["a", "b"])
        machine.serversAnnounced(["b:4222", "c:4222"], tls: false)
        #expect(machine.reconnect.servers.map(\.host) == ["a", "b", "c"])
    }

    @Test func aLostConnectionReconnectsAtOnceToTheNextServerThenBacksOff() {
        var (machine, handle) = connected([a, b])
        guard case .reconnect(let lost, let first) = machine.connectionClosed(ObjectIdentifier(handle), jitter: 0) else {
            Issue.record("a lost connection reconnects")
            return
        }
        #expect(lost == a)
        #expect(first == .connect(b, afterSeconds: 0))
        #expect(machine.isReconnecting)
        #expect(machine.outbound == .hold)
        #expect(!machine.acceptsFlush && machine.acceptsSubscriptions)
        #expect(machine.connectionAttemptFailed(b, error: refused, jitter: 0) == .connect(a, afterSeconds: 0))
        // A whole pass failed: wait 0.25 s, then 0.5 s after the next pass.
        #expect(machine.connectionAttemptFailed(a, error: refused, jitter: 0) == .connect(b, afterSeconds: 0.25))
        #expect(machine.connectionAttemptFailed(b, error: refused, jitter: 0) == .connect(a, afterSeconds: 0))
        #expect(machine.connectionAttemptFailed(a, error: refused, jitter: 0) == .connect(b, afterSeconds: 0.5))
        let fresh = Handle()
        #expect(machine.connectionEstablished(fresh, id: ObjectIdentifier(fresh), url: b, announced: []) == .activate(reconnected: true))
        #expect(machine.connectedServer == b)
    }

    @Test func anAuthorizationFailureDuringReconnectCountsAsAFailedAttemptUntilTheServerLeavesThePool() {
        var (machine, handle) = connected([a, b], maxAttempts: 2)
        _ = machine.connectionClosed(ObjectIdentifier(handle), jitter: 0)
        let authorization = NATSError(.authorizationViolation, "revoked")
        #expect(machine.connectionAttemptFailed(b, error: authorization, jitter: 0) == .connect(a, afterSeconds: 0))
        #expect(machine.connectionAttemptFailed(a, error: authorization, jitter: 0) == .connect(b, afterSeconds: 0.25))
        // b failed twice: it leaves the pool, and a is tried after the next pass's backoff; once a fails twice too,
        // nothing is left.
        #expect(machine.connectionAttemptFailed(b, error: authorization, jitter: 0) == .connect(a, afterSeconds: 0.5))
        #expect(machine.reconnect.servers == [a])
        guard case .giveUp(let error) = machine.connectionAttemptFailed(a, error: authorization, jitter: 0) else {
            Issue.record("no server left: give up")
            return
        }
        #expect(error.code == .noServers)
        #expect(machine.isClosed)
        #expect(machine.outbound == .closed)
    }

    @Test func lameDuckServerLeavingIsAnOrdinaryLossAndTheOthersAreTried() {
        var (machine, handle) = connected([a])
        machine.serversAnnounced(["b:4222"], tls: false)
        // The lame-duck server closes the connection; the announced peer is next.
        guard case .reconnect(_, let first) = machine.connectionClosed(ObjectIdentifier(handle), jitter: 0) else {
            Issue.record("reconnect after lame duck")
            return
        }
        #expect(first == .connect(ServerURL(host: "b"), afterSeconds: 0))
    }

    @Test func withoutReconnectALostConnectionCloses() {
        var (machine, handle) = connected([a], allowReconnect: false)
        guard case .close(let lost) = machine.connectionClosed(ObjectIdentifier(handle), jitter: 0) else {
            Issue.record("close without reconnect")
            return
        }
        #expect(lost == a)
        #expect(machine.isClosed)
    }

    @Test func aLateCloseOfAnOldConnectionIsIgnored() {
        var (machine, old) = connected([a, b])
        _ = machine.connectionClosed(ObjectIdentifier(old), jitter: 0)
        let fresh = Handle()
        _ = machine.connectionEstablished(fresh, id: ObjectIdentifier(fresh), url: b, announced: [])
        #expect(machine.connectionClosed(ObjectIdentifier(old), jitter: 0).isIgnore)
        #expect(machine.connection === fresh)
    }

    @Test func drainWritesOnlyProtocolBytesThenCloses() {
        var (machine, handle) = connected([a])
        guard case .drain(let connection) = machine.drainRequested() else {
            Issue.record("drain while connected")
            return
        }
        #expect(connection === handle)
        #expect(machine.outbound == .draining)
        #expect(machine.protocolOutbound == .write)
        #expect(machine.acceptsFlush && !machine.acceptsSubscriptions)
        #expect(machine.connectedServer == nil)
        #expect(machine.drainRequested().isNone)
        guard case .close(let lost) = machine.connectionClosed(ObjectIdentifier(handle), jitter: 0) else {
            Issue.record("the drained connection closing closes the client")
            return
        }
        #expect(lost == a)
        #expect(machine.isClosed)
    }

    @Test func drainWhileReconnectingClosesAtOnce() {
        var (machine, handle) = connected([a])
        _ = machine.connectionClosed(ObjectIdentifier(handle), jitter: 0)
        guard case .close = machine.drainRequested() else {
            Issue.record("drain while reconnecting closes")
            return
        }
        #expect(machine.isClosed)
        // The reconnect attempt in flight finds the client closed.
        #expect(machine.connectionAttemptFailed(a, error: refused, jitter: 0) == .none)
        let late = Handle()
        guard case .discard = machine.connectionEstablished(late, id: ObjectIdentifier(late), url: a, announced: []) else {
            Issue.record("a reconnect that lands after close is discarded")
            return
        }
    }

    @Test func closeWhileConnectedClosesThatConnectionOnce() {
        var (machine, handle) = connected([a])
        guard case .close(let connection) = machine.closeRequested() else {
            Issue.record("close while connected")
            return
        }
        #expect(connection === handle)
        #expect(machine.closeRequested().isNone)
        // The channel's own close report comes after: ignored.
        #expect(machine.connectionClosed(ObjectIdentifier(handle), jitter: 0).isIgnore)
        #expect(!machine.acceptsSubscriptions && !machine.acceptsFlush)
    }

    @Test func idleHoldsPublishesAndAcceptsSubscriptions() {
        let machine = machine([a])
        #expect(machine.outbound == .hold)
        #expect(machine.acceptsSubscriptions)
        #expect(!machine.acceptsFlush)
        #expect(machine.connection == nil)
    }
}

extension ConnectionStateMachine.CloseAction {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

extension ConnectionStateMachine.DrainAction {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

extension ConnectionStateMachine.ClosedAction {
    var isIgnore: Bool {
        if case .ignore = self { return true }
        return false
    }
}
