import NATSCore

/// Something that happened to the connection, in order. The monitor publishes these as events.
public enum ConnectionEvent: Sendable, Equatable {
    case connected(ServerURL)
    case disconnected(ServerURL, reason: String)
    case reconnected(ServerURL)
    /// The server is about to shut down.
    case lameDuckMode(ServerURL)
    /// The cluster announced servers that were added to the pool.
    case serversDiscovered([String])
    /// A subscription exceeded its pending limits and dropped messages.
    case slowConsumer(subject: String, dropped: Int)
    /// A non-fatal server error, such as a permissions violation.
    case serverError(String)
    case closed
}
