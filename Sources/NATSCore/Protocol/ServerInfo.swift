/// The server's `INFO`: identity, limits, features and the cluster's other URLs.
public struct ServerInfo: Codable, Sendable, Equatable {
    public var serverID: String
    public var serverName: String?
    public var version: String
    public var proto: Int?
    public var host: String?
    public var port: Int?
    public var headers: Bool?
    public var authRequired: Bool?
    public var tlsRequired: Bool?
    public var tlsVerify: Bool?
    public var tlsAvailable: Bool?
    public var maxPayload: Int
    public var jetstream: Bool?
    public var clientID: UInt64?
    public var clientIP: String?
    public var nonce: String?
    public var cluster: String?
    public var domain: String?
    public var connectURLs: [String]?
    /// Lame-duck mode: the server is about to shut down.
    public var lameDuckMode: Bool?

    enum CodingKeys: String, CodingKey {
        case serverID = "server_id"
        case serverName = "server_name"
        case version, proto, host, port, headers
        case authRequired = "auth_required"
        case tlsRequired = "tls_required"
        case tlsVerify = "tls_verify"
        case tlsAvailable = "tls_available"
        case maxPayload = "max_payload"
        case jetstream
        case clientID = "client_id"
        case clientIP = "client_ip"
        case nonce, cluster, domain
        case connectURLs = "connect_urls"
        case lameDuckMode = "ldm"
    }

    public init(serverID: String, version: String, maxPayload: Int, headers: Bool = true) {
        self.serverID = serverID
        self.version = version
        self.maxPayload = maxPayload
        self.headers = headers
    }
}
