/// The opening of one connection: wait for `INFO`, upgrade to TLS when needed, send `CONNECT` + `PING`,
/// and count the connection as established at the first `PONG`.
public struct HandshakeStateMachine: Sendable {
    public enum State: Equatable, Sendable {
        case awaitingInfo
        case awaitingTLS(ServerInfo)
        case awaitingPong(ServerInfo)
        case established(ServerInfo)
        case failed(NATSError)
    }

    public enum Action: Equatable, Sendable {
        /// Start the TLS handshake before sending anything.
        case startTLS
        /// Send `CONNECT` (authenticated for this INFO's nonce) followed by `PING`.
        case sendConnect(ServerInfo)
        /// The connection is ready for use.
        case succeed(ServerInfo)
        case fail(NATSError)
        case wait
    }

    public private(set) var state: State = .awaitingInfo
    /// Whether the client insists on TLS (a `tls://` URL or TLS options).
    public let clientRequiresTLS: Bool

    public init(clientRequiresTLS: Bool) {
        self.clientRequiresTLS = clientRequiresTLS
    }

    public mutating func infoReceived(_ info: ServerInfo) -> Action {
        switch state {
        case .awaitingInfo:
            let serverRequiresTLS = info.tlsRequired ?? false
            if clientRequiresTLS && !(serverRequiresTLS || (info.tlsAvailable ?? false)) {
                return fail(NATSError(.tlsFailed, "TLS was requested but the server does not offer it"))
            }
            if clientRequiresTLS || serverRequiresTLS {
                state = .awaitingTLS(info)
                return .startTLS
            }
            state = .awaitingPong(info)
            return .sendConnect(info)
        case .awaitingTLS, .awaitingPong, .established, .failed:
            return .wait
        }
    }

    public mutating func tlsEstablished() -> Action {
        guard case .awaitingTLS(let info) = state else {
            return fail(NATSError(.protocolViolation, "TLS completed at an unexpected point of the handshake"))
        }
        state = .awaitingPong(info)
        return .sendConnect(info)
    }

    public mutating func pongReceived() -> Action {
        guard case .awaitingPong(let info) = state else { return .wait }
        state = .established(info)
        return .succeed(info)
    }

    public mutating func errorReceived(_ error: NATSError) -> Action {
        switch state {
        case .established, .failed: return .wait
        default: return fail(error)
        }
    }

    public mutating func connectionClosed() -> Action {
        switch state {
        case .established, .failed: return .wait
        default: return fail(NATSError(.connectionClosed, "the server closed the connection during the handshake"))
        }
    }

    private mutating func fail(_ error: NATSError) -> Action {
        state = .failed(error)
        return .fail(error)
    }
}
