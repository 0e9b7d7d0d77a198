import NATSCore

/// How a `NATSClient` connects: servers, identity, authentication, TLS, keepalive, reconnects and limits.
public struct NATSOptions: Sendable {
    /// Servers to connect to, tried in order; the cluster's announced servers are added.
    public var servers: [ServerURL]
    /// Shown by the server in its connection list.
    public var name: String?
    /// Receive our own publishes on matching subscriptions.
    public var echo = true
    /// Ask the server for 503 status replies when a request has no responders.
    public var noResponders = true
    /// Prefix of reply subjects for requests.
    public var inboxPrefix = "_INBOX"
    public var auth = NATSAuth.none
    public var tls: NATSTLSOptions?

    /// Seconds between keepalive pings.
    public var pingInterval: Double = 120
    /// Unanswered pings before the connection counts as stale.
    public var maxPingsOutstanding = 2
    /// Seconds to wait for a TCP connection and the handshake.
    public var connectTimeout: Double = 2
    public var allowReconnect = true
    /// First wait after a full pass over the servers failed; it doubles each pass up to `maxReconnectWait`.
    public var reconnectWait: Double = 0.25
    public var maxReconnectWait: Double = 4
    public var reconnectJitter: Double = 0.1
    /// Consecutive failed attempts before a server leaves the pool; -1 for no limit.
    public var maxReconnectAttempts = -1
    public var ignoreDiscoveredServers = false
    /// Bytes of publishes held while disconnected; more fail with `reconnectBufferFull`.
    public var reconnectBufferSize = 8 << 20
    /// Per-subscription limits; messages past them are dropped, counted and signalled as a slow consumer.
    public var pendingMessageLimit = 500_000
    public var pendingByteLimit = 64 << 20

    public init(servers: [ServerURL] = [ServerURL(host: "127.0.0.1")]) {
        self.servers = servers
    }

    /// Options for a list of server URLs (`nats://`, `tls://`, `user:pass@host:port`).
    public init(urls: [String]) throws(NATSError) {
        var servers: [ServerURL] = []
        for url in urls { servers.append(try ServerURL(url)) }
        guard !servers.isEmpty else { throw NATSError(.noServers, "no server URL given") }
        self.init(servers: servers)
    }
}

/// How the client proves who it is.
public enum NATSAuth: Sendable {
    case none
    case userPassword(user: String, password: String)
    case token(String)
    /// An NKEY seed (`SU…`); the client signs the server's nonce with it.
    case nkey(seed: String)
    /// The contents of a `.creds` file: a user JWT and its NKEY seed.
    case credentials(String)
}

/// TLS settings: a custom CA, a client certificate, or just "use TLS".
public struct NATSTLSOptions: Sendable {
    /// PEM file of the CA that signs the server certificate; the system roots when `nil`.
    public var caFile: String?
    /// PEM files of a client certificate and its key, for servers that verify clients.
    public var certificateFile: String?
    public var keyFile: String?
    /// Skip verifying the server certificate (tests only).
    public var insecureSkipVerify = false

    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}
