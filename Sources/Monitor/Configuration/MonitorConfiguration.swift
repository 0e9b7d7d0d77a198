import CIMEvents
import EventMetrics

/// The monitor's YAML configuration file.
///
/// ```yaml
/// nats:
///   servers: ["nats://127.0.0.1:4222"]
/// streams: [CIM_EVENTS]          # default: every stream whose subjects overlap `subjects`
/// subjects: ["cim.>"]
/// mapping:
///   max_payload_bytes: 1048576
///   rules:
///     - subject: "orders.{domain}.{event_type}"
///       aggregate_type: order
/// cardinality:
///   domain: 200
///   event_type: 2000
/// http:
///   listen: "0.0.0.0:9091"
///   tls: {cert_file: server.pem, key_file: server-key.pem}
///   basic_auth_users: {prometheus: "$2b$12$…"}   # bcrypt hashes, cost 4 to 14
///   protect_health: false     # true: /healthz and /readyz need the credentials too
/// ```
public struct MonitorConfiguration: Sendable, Equatable {
    public var servers: [String] = []
    public var streams: [String] = []
    public var subjects: [String] = ["cim.>"]
    public var rules: [SubjectRule] = []
    public var maxPayloadBytes = 1 << 20
    public var limits = CardinalityLimits()
    public var listen: String?
    public var tlsCertificateFile: String?
    public var tlsKeyFile: String?
    /// User name → bcrypt hash.
    public var basicAuthUsers: [String: String] = [:]

    /// Whether `/healthz` and `/readyz` need the basic-auth credentials too (by default they are open, for probes).
    public var protectHealth = false

    public init() {}

    /// The defaults overridden by what `file` sets.
    public init(file: ConfigurationFile) {
        servers = file.servers ?? servers
        streams = file.streams ?? streams
        subjects = file.subjects ?? subjects
        rules = file.rules
        maxPayloadBytes = file.maxPayloadBytes ?? maxPayloadBytes
        limits.domain = file.domainLimit ?? limits.domain
        limits.aggregateType = file.aggregateTypeLimit ?? limits.aggregateType
        limits.eventType = file.eventTypeLimit ?? limits.eventType
        limits.errorType = file.errorTypeLimit ?? limits.errorType
        limits.seriesPerFamily = file.seriesPerFamilyLimit ?? limits.seriesPerFamily
        listen = file.listen?.description
        tlsCertificateFile = file.tlsCertificateFile
        tlsKeyFile = file.tlsKeyFile
        basicAuthUsers = file.basicAuthUsers
        protectHealth = file.protectHealth ?? protectHealth
    }

    /// Reads a configuration file; the error names the file and what is wrong in it.
    public init(contentsOf path: String) throws(ConfigurationError) {
        self.init(file: try ConfigurationFile(contentsOf: path))
    }

    public init(yaml: String, source: String = "config") throws(ConfigurationError) {
        self.init(file: try ConfigurationFile(yaml: yaml, source: source))
    }
}

/// A configuration file could not be used.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
