import NIOCore

/// One operation received from the server.
public enum ServerOp: Sendable {
    case info(ServerInfo)
    case message(NATSMessage)
    case ping
    case pong
    case ok
    case error(String)
}
