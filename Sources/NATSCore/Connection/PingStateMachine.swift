/// Keepalive: every ping interval the client sends `PING`; too many unanswered pings mean a stale connection.
///
/// No timers inside: the connection calls `timerFired()` on its own schedule.
public struct PingStateMachine: Sendable, Equatable {
    public enum Action: Equatable, Sendable {
        case sendPing
        case closeConnection(NATSError)
    }

    public let maxOutstanding: Int
    public private(set) var outstanding = 0

    public init(maxOutstanding: Int = 2) {
        precondition(maxOutstanding > 0, "at least one ping must be allowed to be outstanding")
        self.maxOutstanding = maxOutstanding
    }

    /// The ping interval elapsed.
    public mutating func timerFired() -> Action {
        if outstanding >= maxOutstanding {
            return .closeConnection(NATSError(.staleConnection, "\(outstanding) pings went unanswered"))
        }
        outstanding += 1
        return .sendPing
    }

    /// Any `PONG` proves the connection is alive.
    public mutating func pongReceived() {
        outstanding = 0
    }

    /// A new connection starts with nothing outstanding.
    public mutating func connectionEstablished() {
        outstanding = 0
    }
}
