/// The lifecycle of a client's connection: connecting, connected, reconnecting with backoff over the cluster's
/// servers, draining, closed.
///
/// Events go in as past-tense calls (`connectionEstablished`, `connectionClosed`, …) and actions come out; the client
/// executes them in one place. The machine also says what happens in each phase to publishes (written, held for the
/// next connection, or refused), to subscriptions and to flush waiters. It does no I/O and reads no clock: waits are
/// part of the actions and randomness (`jitter` in 0..<1) is an input, so every transition is tested without sockets.
///
/// `Connection` is the handle of one open connection (a NIO `Channel` in the client), reported with its identity
/// (`ObjectIdentifier`); the machine compares identities, so a late report about an old connection is ignored.
public struct ConnectionStateMachine<Connection> {
    public enum Phase {
        /// Nothing started yet, or the last `connect()` failed (it may be called again).
        case idle
        /// The first connection: trying the configured servers once each, in order.
        case connecting
        case connected(Connection, ObjectIdentifier, ServerURL)
        /// The connection was lost; attempts follow the reconnect pool's order and backoff.
        case reconnecting
        /// Unsubscribed, waiting for what is in flight; then closed.
        case draining(Connection, ObjectIdentifier, ServerURL)
        case closed
    }

    /// What to do for a connection attempt.
    public enum AttemptAction {
        /// Open a connection to `url` after waiting `afterSeconds`, then report `connectionEstablished` or
        /// `connectionAttemptFailed`.
        case connect(ServerURL, afterSeconds: Double)
        /// The first connect failed on every server: tell the caller (the client is idle again and may retry).
        case failConnect(NATSError)
        /// No server left to reconnect to: the client is closed; finish subscriptions, requests and waiters.
        case giveUp(NATSError)
        /// Nothing to do (the client was closed meanwhile).
        case none
    }

    /// What to do with a connection that just completed its handshake.
    public enum EstablishedAction {
        /// Make it current: resubscribe, send what was held, and report `connected` or `reconnected`.
        case activate(reconnected: Bool)
        /// The client was closed meanwhile: close this connection and tell the caller.
        case discard(NATSError)
    }

    /// What to do when a connection closed.
    public enum ClosedAction {
        /// It was the current one: fail flush waiters, report `disconnected`, and start reconnecting.
        case reconnect(lost: ServerURL, AttemptAction)
        /// It was the current one and reconnecting is off (or it was draining): the client is closed; report
        /// `disconnected` and finish everything.
        case close(lost: ServerURL)
        /// A connection that is not current (already replaced or discarded): nothing to do.
        case ignore
    }

    /// What a `close()` does.
    public enum CloseAction {
        /// Close this connection (if any), fail waiters, finish subscriptions and requests, report `closed`.
        case close(Connection?)
        /// Already closed.
        case none
    }

    /// What a `drain()` does.
    public enum DrainAction {
        /// Unsubscribe everything on this connection, flush, then close.
        case drain(Connection)
        /// Not connected (idle, connecting or reconnecting): the client is closed at once; there is no connection to
        /// close.
        case close
        /// Already draining or closed.
        case none
    }

    /// What happens to a publish (or any outbound protocol bytes) now: a plain value, since the publish path asks it
    /// per message. (The connection to write on is ``connection``.)
    public enum Outbound: Equatable, Sendable {
        /// Write it on the current connection.
        case write
        /// Hold it in the reconnect buffer for the next connection.
        case hold
        /// Refuse it: the client is draining.
        case draining
        /// Refuse it: the client is closed.
        case closed

        /// The error of a refusal.
        @inlinable
        public var refusal: NATSError? {
            switch self {
            case .write, .hold: nil
            case .draining: NATSError(.draining, "the client is draining; no new messages")
            case .closed: NATSError(.connectionClosed, "the client is closed")
            }
        }
    }

    public private(set) var phase: Phase = .idle {
        didSet { cacheAllowances() }
    }
    /// Where publishes go now, kept with every change of phase (a stored value: reading it copies nothing).
    public private(set) var outbound = Outbound.hold
    /// Where the client's own protocol bytes go now: like publishes, but still written while draining.
    public private(set) var protocolOutbound = Outbound.hold
    /// The current connection, if any (connected or draining).
    public private(set) var connection: Connection?
    public private(set) var reconnect: ReconnectStateMachine
    public let allowReconnect: Bool
    /// The servers the first `connect()` has not tried yet.
    private var untried: [ServerURL] = []
    private var lastConnectError: NATSError?

    public init(reconnect: ReconnectStateMachine, allowReconnect: Bool = true) {
        self.reconnect = reconnect
        self.allowReconnect = allowReconnect
    }

    // MARK: - Events

    /// `connect()` was called.
    public mutating func connectRequested() -> AttemptAction {
        switch phase {
        case .idle:
            phase = .connecting
            untried = reconnect.servers
            lastConnectError = nil
            return nextFirstAttempt()
        case .closed:
            return .failConnect(NATSError(.connectionClosed, "the client was closed"))
        case .connecting:
            return .failConnect(NATSError(.invalidConfiguration, "connect() is already running on this client"))
        case .connected, .reconnecting, .draining:
            return .failConnect(NATSError(.invalidConfiguration, "the client is already connected"))
        }
    }

    /// An attempt to open a connection (TCP, TLS or the handshake) to `url` failed.
    public mutating func connectionAttemptFailed(_ url: ServerURL, error: NATSError, jitter: Double) -> AttemptAction {
        switch phase {
        case .connecting:
            lastConnectError = error
            return nextFirstAttempt()
        case .reconnecting:
            return reconnectAction(reconnect.attemptFailed(url, jitter: jitter))
        case .idle, .connected, .draining, .closed:
            return .none
        }
    }

    /// A connection to `url` completed its handshake.
    public mutating func connectionEstablished(
        _ connection: Connection,
        id: ObjectIdentifier,
        url: ServerURL,
        announced connectURLs: [String]
    ) -> EstablishedAction {
        let reconnected: Bool
        switch phase {
        case .connecting: reconnected = false
        case .reconnecting: reconnected = true
        case .closed, .draining, .idle, .connected:
            return .discard(NATSError(.connectionClosed, "the client was closed while connecting"))
        }
        phase = .connected(connection, id, url)
        untried = []
        reconnect.connected(to: url)
        reconnect.serversDiscovered(connectURLs, tls: url.tls)
        return .activate(reconnected: reconnected)
    }

    /// A connection closed (the server went away, a protocol error, a stale connection, or our own close).
    public mutating func connectionClosed(_ id: ObjectIdentifier, jitter: Double) -> ClosedAction {
        switch phase {
        case .connected(_, let current, let url) where current == id:
            guard allowReconnect else {
                phase = .closed
                return .close(lost: url)
            }
            phase = .reconnecting
            return .reconnect(lost: url, reconnectAction(reconnect.connectionLost(jitter: jitter)))
        case .draining(_, let current, let url) where current == id:
            phase = .closed
            return .close(lost: url)
        default:
            return .ignore
        }
    }

    /// The server announced its cluster (an asynchronous `INFO`).
    public mutating func serversAnnounced(_ connectURLs: [String], tls: Bool) {
        reconnect.serversDiscovered(connectURLs, tls: tls)
    }

    /// `close()` was called.
    public mutating func closeRequested() -> CloseAction {
        let connection: Connection?
        switch phase {
        case .closed: return .none
        case .connected(let current, _, _), .draining(let current, _, _): connection = current
        case .idle, .connecting, .reconnecting: connection = nil
        }
        phase = .closed
        return .close(connection)
    }

    /// `drain()` was called.
    public mutating func drainRequested() -> DrainAction {
        switch phase {
        case .connected(let connection, let id, let url):
            phase = .draining(connection, id, url)
            return .drain(connection)
        case .draining, .closed:
            return .none
        case .idle, .connecting, .reconnecting:
            phase = .closed
            return .close
        }
    }

    // MARK: - What each phase allows

    /// New subscriptions are accepted until the client drains or closes; while disconnected they are sent on the next
    /// connection (every connection starts by resubscribing).
    @inlinable
    public var acceptsSubscriptions: Bool {
        switch phase {
        case .closed, .draining: false
        case .idle, .connecting, .connected, .reconnecting: true
        }
    }

    /// A flush (`PING` awaiting `PONG`) needs a connection; while disconnected it fails at once.
    @inlinable
    public var acceptsFlush: Bool {
        switch phase {
        case .connected, .draining: true
        case .idle, .connecting, .reconnecting, .closed: false
        }
    }

    /// The server of the current connection, when connected (not while draining).
    @inlinable
    public var connectedServer: ServerURL? {
        if case .connected(_, _, let url) = phase { return url }
        return nil
    }

    @inlinable
    public var isReconnecting: Bool {
        if case .reconnecting = phase { return true }
        return false
    }

    @inlinable
    public var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    // MARK: - Helpers

    private mutating func cacheAllowances() {
        switch phase {
        case .connected(let current, _, _):
            outbound = .write
            protocolOutbound = .write
            connection = current
        case .draining(let current, _, _):
            outbound = .draining
            protocolOutbound = .write
            connection = current
        case .idle, .connecting, .reconnecting:
            outbound = .hold
            protocolOutbound = .hold
            connection = nil
        case .closed:
            outbound = .closed
            protocolOutbound = .closed
            connection = nil
        }
    }

    private mutating func nextFirstAttempt() -> AttemptAction {
        guard !untried.isEmpty else {
            phase = .idle
            return .failConnect(lastConnectError ?? NATSError(.noServers, "no server URL given"))
        }
        return .connect(untried.removeFirst(), afterSeconds: 0)
    }

    private mutating func reconnectAction(_ action: ReconnectStateMachine.Action) -> AttemptAction {
        switch action {
        case .connect(let url, let wait):
            return .connect(url, afterSeconds: wait)
        case .giveUp(let error):
            phase = .closed
            return .giveUp(error)
        }
    }
}

extension ConnectionStateMachine: Sendable where Connection: Sendable {}
extension ConnectionStateMachine.Phase: Sendable where Connection: Sendable {}
extension ConnectionStateMachine.CloseAction: Sendable where Connection: Sendable {}
extension ConnectionStateMachine.DrainAction: Sendable where Connection: Sendable {}
extension ConnectionStateMachine.AttemptAction: Equatable, Sendable {}
extension ConnectionStateMachine.EstablishedAction: Equatable, Sendable {}
