import CIMEvents
import Foundation
import NATSHealth
import Yams

/// What a monitor configuration file says, exactly as written: every setting is optional, so that
/// ``ServeConfiguration/resolve(flags:file:environment:defaultInstance:)`` can put the file between the flags and the
/// environment.
///
/// Every key is checked: an unknown key (`basic_auth_user:`) is an error naming it and its line, with the known key it
/// is closest to; values are checked for type and range.
public struct ConfigurationFile: Sendable, Equatable {
    /// Where it came from, for error messages (a path, or `config`).
    public var source = "config"
    public var servers: [String]?
    public var streams: [String]?
    public var subjects: [String]?
    public var maxPayloadBytes: Int?
    public var rules: [SubjectRule] = []
    public var domainLimit: Int?
    public var aggregateTypeLimit: Int?
    public var eventTypeLimit: Int?
    public var errorTypeLimit: Int?
    public var seriesPerFamilyLimit: Int?
    public var listen: ListenAddress?
    public var tlsCertificateFile: String?
    public var tlsKeyFile: String?
    /// User name → bcrypt hash, each checked by ``BcryptHash``.
    public var basicAuthUsers: [String: String] = [:]
    /// Whether `/healthz` and `/readyz` need the basic-auth credentials too.
    public var protectHealth: Bool?
    /// `nats.monitor_urls`: HTTP monitoring base URLs for the health collector.
    public var monitorURLs: [String]?
    /// `nats.system_account`: credentials for the health collector's `$SYS` requests.
    public var systemCredentials: HealthSettings.SystemCredentials?
    /// `health.interval` in seconds.
    public var healthInterval: Double?
    /// `health.expected_servers`.
    public var expectedServers: Int?
    /// `check.*`: the thresholds of `cim-monitor check`.
    public var check = CheckSettings()

    /// Every key a file may have, section by section (`""` is the top level).
    public static let knownKeys: [String: [String]] = [
        "": ["nats", "streams", "subjects", "mapping", "cardinality", "http", "health", "check"],
        "nats": ["servers", "monitor_urls", "system_account"],
        "nats.system_account": ["user", "password", "creds_file", "nkey_file"],
        "health": ["interval", "expected_servers"],
        "check": CheckSettings.keys,
        "mapping": ["max_payload_bytes", "rules"],
        "mapping.rules": ["subject", "domain", "aggregate_type", "event_type"],
        "cardinality": ["domain", "aggregate_type", "event_type", "error_type", "series_per_family"],
        "http": ["listen", "tls", "basic_auth_users", "protect_health"],
        "http.tls": ["cert_file", "key_file"],
    ]

    public init() {}

    /// Reads a configuration file; the error names the file and what is wrong in it.
    public init(contentsOf path: String) throws(ConfigurationError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read the config file \(path)")
        }
        try self.init(yaml: String(decoding: data, as: UTF8.self), source: path)
    }

    public init(yaml: String, source: String = "config") throws(ConfigurationError) {
        self.source = source
        let reader = YAMLReader(source: source)
        guard let root = try reader.root(yaml) else { return }
        let top = try reader.mapping(root, path: "", known: Self.knownKeys[""]!)
        if let nats = top["nats"] {
            let section = try reader.mapping(nats, path: "nats", known: Self.knownKeys["nats"]!)
            servers = try section["servers"].map { node throws(ConfigurationError) in try reader.strings(node, path: "nats.servers") }
            monitorURLs = try section["monitor_urls"].map { node throws(ConfigurationError) in try reader.strings(node, path: "nats.monitor_urls") }
            for url in monitorURLs ?? [] where HTTPMonitoringSource.Endpoint(url) == nil {
                throw reader.error(at: section["monitor_urls"]!, "nats.monitor_urls: \(url) is not http://host:port (without credentials)")
            }
            if let system = section["system_account"] { try readSystemAccount(system, reader) }
        }
        if let health = top["health"] { try readHealth(health, reader) }
        if let check = top["check"] { try readCheck(check, reader) }
        streams = try top["streams"].map { node throws(ConfigurationError) in try reader.strings(node, path: "streams") }
        subjects = try top["subjects"].map { node throws(ConfigurationError) in try reader.strings(node, path: "subjects") }
        if subjects == [] { throw reader.error(at: top["subjects"]!, "subjects is empty; leave it out for the default cim.>") }
        if let mapping = top["mapping"] { try readMapping(mapping, reader) }
        if let cardinality = top["cardinality"] { try readCardinality(cardinality, reader) }
        if let http = top["http"] { try readHTTP(http, reader) }
    }

    private mutating func readSystemAccount(_ node: Node, _ reader: YAMLReader) throws(ConfigurationError) {
        let section = try reader.mapping(node, path: "nats.system_account", known: Self.knownKeys["nats.system_account"]!)
        func field(_ key: String) throws(ConfigurationError) -> String? {
            try section[key].map { node throws(ConfigurationError) in try reader.string(node, path: "nats.system_account.\(key)") }
        }
        let user = try field("user")
        let password = try field("password")
        let creds = try field("creds_file")
        let nkey = try field("nkey_file")
        let methods = [user != nil || password != nil, creds != nil, nkey != nil].filter { $0 }.count
        guard methods == 1 else { throw reader.error(at: node, "nats.system_account needs exactly one of user/password, creds_file or nkey_file") }
        if let user {
            guard let password else { throw reader.error(at: node, "nats.system_account.user needs a password") }
            systemCredentials = .userPassword(user: user, password: password)
        } else if password != nil {
            throw reader.error(at: node, "nats.system_account.password needs a user")
        }
        if let creds { systemCredentials = .credsFile(creds) }
        if let nkey { systemCredentials = .nkeyFile(nkey) }
    }

    private mutating func readHealth(_ node: Node, _ reader: YAMLReader) throws(ConfigurationError) {
        let section = try reader.mapping(node, path: "health", known: Self.knownKeys["health"]!)
        if let value = section["interval"] {
            let text = try reader.string(value, path: "health.interval")
            guard let seconds = ServeConfiguration.seconds(text), seconds >= ServeConfiguration.minimumHealthInterval else {
                throw reader.error(at: value, "health.interval \(text) must be a duration (15s, 500ms, 1m) of at least 0.1 s")
            }
            healthInterval = seconds
        }
        expectedServers = try section["expected_servers"].map { node throws(ConfigurationError) in
            try reader.integer(node, path: "health.expected_servers", in: 1...10_000)
        }
    }

    private mutating func readCheck(_ node: Node, _ reader: YAMLReader) throws(ConfigurationError) {
        let section = try reader.mapping(node, path: "check", known: Self.knownKeys["check"]!)
        func duration(_ key: String) throws(ConfigurationError) -> Double? {
            guard let value = section[key] else { return nil }
            let text = try reader.string(value, path: "check.\(key)")
            guard let seconds = ServeConfiguration.seconds(text) else {
                throw reader.error(at: value, "check.\(key) \(text) must be a duration (90s, 5m, 1h)")
            }
            return seconds
        }
        func share(_ key: String) throws(ConfigurationError) -> Double? {
            guard let value = section[key] else { return nil }
            let text = try reader.string(value, path: "check.\(key)")
            guard let share = Double(text), (0...1).contains(share) else {
                throw reader.error(at: value, "check.\(key) \(text) must be a share between 0 and 1 (0.8 for 80 %)")
            }
            return share
        }
        func count(_ key: String) throws(ConfigurationError) -> UInt64? {
            try section[key].map { node throws(ConfigurationError) in UInt64(try reader.integer(node, path: "check.\(key)", in: 0...Int.max)) }
        }
        check.streamAgeWarn = try duration("stream_age_warn")
        check.streamAgeCritical = try duration("stream_age_critical")
        check.storageWarn = try share("storage_warn")
        check.storageCritical = try share("storage_critical")
        check.consumerPendingWarn = try count("consumer_pending_warn")
        check.consumerPendingCritical = try count("consumer_pending_critical")
        check.consumerStalled = try duration("consumer_stalled")
        check.snapshotAgeWarn = try duration("snapshot_age_warn")
        check.snapshotAgeCritical = try duration("snapshot_age_critical")
        check.gpuAgeWarn = try duration("gpu_age_warn")
        check.gpuAgeCritical = try duration("gpu_age_critical")
    }

    private mutating func readMapping(_ node: Node, _ reader: YAMLReader) throws(ConfigurationError) {
        let section = try reader.mapping(node, path: "mapping", known: Self.knownKeys["mapping"]!)
        if let value = section["max_payload_bytes"] {
            maxPayloadBytes = try reader.integer(value, path: "mapping.max_payload_bytes", in: 1...Int.max)
        }
        guard let rulesNode = section["rules"] else { return }
        guard let sequence = rulesNode.sequence else { throw reader.error(at: rulesNode, "mapping.rules must be a list") }
        for (index, ruleNode) in sequence.enumerated() {
            let rule = try reader.mapping(ruleNode, path: "mapping.rules", known: Self.knownKeys["mapping.rules"]!)
            let path = "mapping rule \(index + 1)"
            func field(_ key: String) throws(ConfigurationError) -> String? {
                try rule[key].map { node throws(ConfigurationError) in try reader.string(node, path: "\(path) \(key)") }
            }
            guard let subject = try field("subject") else { throw reader.error(at: ruleNode, "\(path) has no subject") }
            do {
                rules.append(
                    try SubjectRule(
                        subject: subject,
                        domain: try field("domain"),
                        aggregateType: try field("aggregate_type"),
                        eventType: try field("event_type")
                    )
                )
            } catch let error as ConfigurationError {
                throw error
            } catch {
                throw reader.error(at: ruleNode, "\(path): \(error)")
            }
        }
    }

    private mutating func readCardinality(_ node: Node, _ reader: YAMLReader) throws(ConfigurationError) {
        let section = try reader.mapping(node, path: "cardinality", known: Self.knownKeys["cardinality"]!)
        func limit(_ key: String) throws(ConfigurationError) -> Int? {
            try section[key].map { node throws(ConfigurationError) in try reader.integer(node, path: "cardinality.\(key)", in: 1...Int.max) }
        }
        domainLimit = try limit("domain")
        aggregateTypeLimit = try limit("aggregate_type")
        eventTypeLimit = try limit("event_type")
        errorTypeLimit = try limit("error_type")
        seriesPerFamilyLimit = try limit("series_per_family")
    }

    private mutating func readHTTP(_ node: Node, _ reader: YAMLReader) throws(ConfigurationError) {
        let section = try reader.mapping(node, path: "http", known: Self.knownKeys["http"]!)
        if let value = section["listen"] {
            let text = try reader.string(value, path: "http.listen")
            do {
                listen = try ListenAddress(parsing: text)
            } catch {
                throw reader.error(at: value, "http.listen \(text) \(error.message)")
            }
        }
        if let tlsNode = section["tls"] {
            let tls = try reader.mapping(tlsNode, path: "http.tls", known: Self.knownKeys["http.tls"]!)
            tlsCertificateFile = try tls["cert_file"].map { node throws(ConfigurationError) in try reader.string(node, path: "http.tls.cert_file") }
            tlsKeyFile = try tls["key_file"].map { node throws(ConfigurationError) in try reader.string(node, path: "http.tls.key_file") }
            if (tlsCertificateFile == nil) != (tlsKeyFile == nil) {
                throw reader.error(at: tlsNode, "http.tls needs both cert_file and key_file")
            }
        }
        if let users = section["basic_auth_users"] {
            for (user, hash, line) in try reader.stringMap(users, path: "http.basic_auth_users") {
                do {
                    _ = try BcryptHash(hash)
                } catch {
                    throw reader.error(line: line, "http.basic_auth_users: the hash of user \(user) \(error)")
                }
                basicAuthUsers[user] = hash
            }
        }
        protectHealth = try section["protect_health"].map { node throws(ConfigurationError) in try reader.bool(node, path: "http.protect_health") }
    }
}
