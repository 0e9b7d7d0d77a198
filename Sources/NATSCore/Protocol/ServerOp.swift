import NIOCore

/// One operation received from the server.
public enum ServerOp: Sendable {
    // Indirect: `ServerInfo` is large, and every message would otherwise be copied in an enum of its size.
    indirect case info(ServerInfo)
    case message(NATSMessage)
    case ping
    case pong
    case ok
    case error(String)
}
