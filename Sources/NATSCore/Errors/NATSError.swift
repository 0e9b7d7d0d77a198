/// An error of the NATS client: what happened, as a comparable code, plus a message that never holds a secret.
///
/// Equality compares codes only, so callers can `catch let error as NATSError where error.code == .noResponders`.
public struct NATSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case protocolViolation = "protocol violation"
            case controlLineTooLong = "control line too long"
            case payloadTooLarge = "payload too large"
            case maxPayloadExceeded = "max payload exceeded"
            case invalidSubject = "invalid subject"
            case invalidHeader = "invalid header"
            case invalidURL = "invalid server URL"
            case authorizationViolation = "authorization violation"
            case authenticationExpired = "authentication expired"
            case permissionsViolation = "permissions violation"
            case serverError = "server error"
            case staleConnection = "stale connection"
            case connectionClosed = "connection closed"
            case connectionFailed = "connection failed"
            case noServers = "no servers available"
            case timeout = "timeout"
            case noResponders = "no responders"
            case slowConsumer = "slow consumer"
            case reconnectBufferFull = "reconnect buffer full"
            case tlsRequired = "TLS required"
            case tlsFailed = "TLS failed"
            case invalidConfiguration = "invalid configuration"
            case headersNotSupported = "headers not supported"
            case draining = "draining"
            case cancelled = "cancelled"
        }
        fileprivate let base: Base
        private init(_ base: Base) { self.base = base }

        public var description: String { base.rawValue }

        /// The server sent bytes that are not valid NATS protocol.
        public static let protocolViolation = Code(.protocolViolation)
        /// A control line exceeded the maximum length.
        public static let controlLineTooLong = Code(.controlLineTooLong)
        /// A received payload exceeded the parser's limit.
        public static let payloadTooLarge = Code(.payloadTooLarge)
        /// A publish exceeded the server's `max_payload`.
        public static let maxPayloadExceeded = Code(.maxPayloadExceeded)
        public static let invalidSubject = Code(.invalidSubject)
        public static let invalidHeader = Code(.invalidHeader)
        public static let invalidURL = Code(.invalidURL)
        public static let authorizationViolation = Code(.authorizationViolation)
        public static let authenticationExpired = Code(.authenticationExpired)
        public static let permissionsViolation = Code(.permissionsViolation)
        /// Another `-ERR` from the server.
        public static let serverError = Code(.serverError)
        /// Too many pings went unanswered.
        public static let staleConnection = Code(.staleConnection)
        public static let connectionClosed = Code(.connectionClosed)
        public static let connectionFailed = Code(.connectionFailed)
        public static let noServers = Code(.noServers)
        public static let timeout = Code(.timeout)
        /// A request found no subscriber (status 503).
        public static let noResponders = Code(.noResponders)
        /// A subscription's pending limit was exceeded and messages were dropped.
        public static let slowConsumer = Code(.slowConsumer)
        /// The buffer that holds publishes while disconnected is full.
        public static let reconnectBufferFull = Code(.reconnectBufferFull)
        public static let tlsRequired = Code(.tlsRequired)
        public static let tlsFailed = Code(.tlsFailed)
        public static let invalidConfiguration = Code(.invalidConfiguration)
        public static let headersNotSupported = Code(.headersNotSupported)
        public static let draining = Code(.draining)
        /// The task that waited was cancelled (a request, for example).
        public static let cancelled = Code(.cancelled)
    }

    public let code: Code
    /// A one-line explanation; never contains a password, token, seed or JWT.
    public let message: String
    /// The error this one wraps, if any.
    public let underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message.isEmpty ? code.description : "\(code): \(message)" }

    public static func == (lhs: NATSError, rhs: NATSError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension NATSError {
    /// Classifies a server `-ERR` text.
    public static func fromServer(_ text: String) -> NATSError {
        let lower = text.lowercased()
        if lower.hasPrefix("authorization violation") || lower.hasPrefix("authorization timeout") {
            return NATSError(.authorizationViolation, "the server rejected the credentials (\(text)); check user, password, token, nkey or creds")
        }
        if lower.contains("authentication expired") || lower.contains("authentication revoked") {
            return NATSError(.authenticationExpired, text)
        }
        if lower.hasPrefix("permissions violation") {
            return NATSError(.permissionsViolation, text)
        }
        if lower.hasPrefix("maximum payload") {
            return NATSError(.maxPayloadExceeded, text)
        }
        if lower.hasPrefix("stale connection") {
            return NATSError(.staleConnection, text)
        }
        if lower.hasPrefix("secure connection - tls required") {
            return NATSError(.tlsRequired, "the server requires TLS; use a tls:// URL or TLS options")
        }
        return NATSError(.serverError, text)
    }

    /// Whether the server closes the connection after sending this error.
    public var closesConnection: Bool {
        code != .permissionsViolation && !(code == .serverError && message.lowercased().hasPrefix("invalid subject"))
    }
}
