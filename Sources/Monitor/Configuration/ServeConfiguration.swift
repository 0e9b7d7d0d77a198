import NATSHealth

/// What `serve` runs with, resolved from its three sources in one place: the command-line flags win, then the
/// configuration file, then the environment (`NATS_URL`, `METRICS_PORT`, `EVENT_SUBJECTS`), then the defaults.
///
/// | setting | flag | file | environment | default |
/// |---|---|---|---|---|
/// | NATS servers | `--server` | `nats.servers` | `NATS_URL` (comma-separated) | `nats://127.0.0.1:4222` |
/// | streams | `--stream` | `streams` | – | discovered by subjects |
/// | subjects | – | `subjects` | `EVENT_SUBJECTS` (comma-separated) | `cim.>` |
/// | HTTP address | `--listen` | `http.listen` | `METRICS_PORT` (on 0.0.0.0) | `0.0.0.0:9091` |
/// | instance, start, snapshot interval | `--instance`, `--start`, `--snapshot-interval` | – | – | host name, all, 5 s |
/// | NATS monitoring URLs | `--nats-monitor` | `nats.monitor_urls` | – | none |
/// | system account | `--system-user`/`--system-password`, `--system-creds`, `--system-nkey` | `nats.system_account` | – | none |
/// | health interval | `--health-interval` | `health.interval` | – | 15 s |
/// | expected servers | `--expected-servers` | `health.expected_servers` | – | the largest number seen |
///
/// Everything else comes from the file alone. A bad value is reported against the source it came from.
///
/// The system account's credentials come from one source: the flags when any `--system-*` flag is given, else the
/// file.
public struct ServeConfiguration: Sendable {
    /// The configuration the monitor service and the HTTP server run with.
    public var configuration: MonitorConfiguration
    public var settings: ServeSettings
    /// The NATS server URLs to connect to (never empty).
    public var servers: [String]
    public var listen: ListenAddress
    /// The NATS health collector's settings (`health.isEnabled` is false when no source is configured).
    public var health: HealthSettings

    /// The shortest health interval accepted, in seconds.
    public static let minimumHealthInterval = 0.1
    /// The shortest snapshot interval accepted, in seconds.
    public static let minimumSnapshotInterval = 0.1
    public static let defaultServers = ["nats://127.0.0.1:4222"]
    public static let defaultListen = ListenAddress(host: "0.0.0.0", port: 9091)

    /// The flags of `serve` that take part in the precedence (`nil` or empty: not given).
    public struct Flags: Sendable {
        public var servers: [String] = []
        public var streams: [String] = []
        public var listen: String?
        public var instance: String?
        public var startNew = false
        public var snapshotInterval: Double?
        public var monitorURLs: [String] = []
        public var systemUser: String?
        public var systemPassword: String?
        public var systemCreds: String?
        public var systemNKey: String?
        public var healthInterval: Double?
        public var expectedServers: Int?

        public init() {}
    }

    /// Resolves every setting; the error is one line naming the flag, the file (with the line) or the variable that
    /// holds the bad value.
    public static func resolve(
        flags: Flags,
        file: ConfigurationFile?,
        environment: [String: String],
        defaultInstance: String
    ) throws(ConfigurationError) -> ServeConfiguration {
        var configuration = file.map(MonitorConfiguration.init(file:)) ?? MonitorConfiguration()
        let fromEnvironment = { (name: String) -> [String]? in
            let values = environment[name]?.split(separator: ",").map(trimmed).filter { !$0.isEmpty }
            return values?.isEmpty == false ? values : nil
        }

        let servers = nonEmpty(flags.servers) ?? file?.servers.flatMap(nonEmpty) ?? fromEnvironment("NATS_URL") ?? defaultServers
        configuration.servers = servers
        if let streams = nonEmpty(flags.streams) { configuration.streams = streams }
        if file?.subjects == nil, let subjects = fromEnvironment("EVENT_SUBJECTS") { configuration.subjects = subjects }

        let listen: ListenAddress
        if let text = flags.listen {
            do { listen = try ListenAddress(parsing: text) } catch { throw ConfigurationError("--listen \(text) \(error.message)") }
        } else if let fileListen = file?.listen {
            listen = fileListen
        } else if let text = environment["METRICS_PORT"], !text.isEmpty {
            guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let port = Int(text), port <= 65535 else {
                throw ConfigurationError("METRICS_PORT=\(text) is not a port number (0 to 65535)")
            }
            listen = ListenAddress(host: defaultListen.host, port: port)
        } else {
            listen = defaultListen
        }
        configuration.listen = listen.description

        var settings = ServeSettings(instance: flags.instance ?? defaultInstance)
        guard !settings.instance.isEmpty else { throw ConfigurationError("--instance must not be empty") }
        settings.startNew = flags.startNew
        if let interval = flags.snapshotInterval {
            guard interval.isFinite, interval >= minimumSnapshotInterval else {
                throw ConfigurationError("--snapshot-interval \(interval) must be a number of seconds, at least \(minimumSnapshotInterval)")
            }
            settings.snapshotInterval = interval
        }
        let health = try resolveHealth(flags: flags, file: file)
        return ServeConfiguration(configuration: configuration, settings: settings, servers: servers, listen: listen, health: health)
    }

    /// The health collector's settings: each flag wins over its file key.
    public static func resolveHealth(flags: Flags, file: ConfigurationFile?) throws(ConfigurationError) -> HealthSettings {
        var health = HealthSettings()
        health.monitorURLs = nonEmpty(flags.monitorURLs) ?? file?.monitorURLs ?? []
        for url in flags.monitorURLs where HTTPMonitoringSource.Endpoint(url) == nil {
            throw ConfigurationError("--nats-monitor \(url) is not http://host:port (without credentials)")
        }
        let methods = [flags.systemUser != nil || flags.systemPassword != nil, flags.systemCreds != nil, flags.systemNKey != nil]
        switch methods.filter({ $0 }).count {
        case 0:
            health.systemCredentials = file?.systemCredentials
        case 1:
            if let user = flags.systemUser {
                guard let password = flags.systemPassword else { throw ConfigurationError("--system-user needs --system-password") }
                health.systemCredentials = .userPassword(user: user, password: password)
            } else if flags.systemPassword != nil {
                throw ConfigurationError("--system-password needs --system-user")
            }
            if let path = flags.systemCreds { health.systemCredentials = .credsFile(path) }
            if let path = flags.systemNKey { health.systemCredentials = .nkeyFile(path) }
        default:
            throw ConfigurationError("choose one of --system-user/--system-password, --system-creds or --system-nkey")
        }
        if let interval = flags.healthInterval {
            guard interval.isFinite, interval >= minimumHealthInterval else {
                throw ConfigurationError("--health-interval \(interval) must be a duration of at least \(minimumHealthInterval) s")
            }
            health.interval = interval
        } else if let interval = file?.healthInterval {
            health.interval = interval
        }
        if let expected = flags.expectedServers {
            guard (1...10_000).contains(expected) else { throw ConfigurationError("--expected-servers \(expected) must be from 1 to 10000") }
            health.expectedServers = expected
        } else {
            health.expectedServers = file?.expectedServers
        }
        return health
    }

    /// A duration: `15s`, `500ms`, `1m`, `1h`, or plain seconds; `nil` when it is none of those or negative.
    public static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value.isFinite, value >= 0 else { return nil }
            return value * factor
        }
        guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
        return value
    }

    private static func nonEmpty(_ values: [String]) -> [String]? { values.isEmpty ? nil : values }

    private static func trimmed(_ text: Substring) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isSpace($0) }), let end = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[start...end])
    }
}
