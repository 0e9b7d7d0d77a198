import NATSCore
import NIOCore

/// Everything about a client that changes, guarded by the client's mutex.
struct ClientState {
    struct PendingRequest {
        var continuation: CheckedContinuation<NATSMessage, any Error>
        var timeout: Scheduled<Void>?
    }

    /// The connection's lifecycle: phases, reconnect pool and backoff, and what each phase allows.
    var connection: ConnectionStateMachine<any Channel>
    /// Someone runs the client's background work (reconnects, reply dispatch, clean-up): the application
    /// (`NATSClient.run()`, `runUntilClosed()`) or a task of the client's own, started by `connect()`.
    var workLoopClaimed = false
    var info: ServerInfo? {
        didSet {
            maxPayload = info?.maxPayload
            serverRejectsHeaders = info?.headers == false
        }
    }
    /// From `info`, for the publish path (which would otherwise copy the whole `ServerInfo` per message).
    private(set) var maxPayload: Int?
    private(set) var serverRejectsHeaders = false
    var subscriptions: [UInt64: SubscriptionSink] = [:]
    var nextSID: UInt64 = 1
    /// Bytes waiting to be written, in order; held while disconnected.
    var outbound = OutboundBuffer()
    var writeScheduled = false
    /// The subject of the last publish, which passed `NATSSubject.validate`.
    var lastValidSubject = ""
    /// Writes are coalesced: a timer on the event loop writes what accumulates (see `writeOutbound`).
    var coalescing = false
    var lastWrite = NIODeadline.uptimeNanoseconds(0)
    /// Writes in a row, each soon after the one before.
    var closeWrites = 0
    var bytesInFlight = 0
    var writeWaiters: [CheckedContinuation<Void, Never>] = []
    /// Whoever waits for each `PING` sent after the handshake, in order.
    var pongWaiters: [PongWaiter] = []
    var requestInbox: String?
    var requests: [String: PendingRequest] = [:]
    var nextRequestID = 0
    var statistics = NATSStatistics()

    init(options: NATSOptions) {
        let pool = ReconnectStateMachine(
            servers: options.servers,
            initialWait: options.reconnectWait,
            maxWait: options.maxReconnectWait,
            maxJitter: options.reconnectJitter,
            maxAttemptsPerServer: options.maxReconnectAttempts,
            ignoreDiscovered: options.ignoreDiscoveredServers
        )
        connection = ConnectionStateMachine(reconnect: pool, allowReconnect: options.allowReconnect)
    }

    mutating func takeAllWaiters() -> [PongWaiter] {
        defer { pongWaiters.removeAll() }
        return pongWaiters
    }

    /// Not closed and not draining.
    var isUsable: Bool { connection.acceptsSubscriptions }
}

enum PongWaiter {
    case keepalive
    case flush(CheckedContinuation<Void, any Error>)
}
