import EventMetrics
import Monitor
import Testing

/// Where each `serve` setting comes from: the flags win, then the file, then the environment, then the defaults.
@Suite struct ServeConfigurationTests {
    static let environment = ["NATS_URL": "nats://env:4222,nats://env2:4222", "METRICS_PORT": "9300", "EVENT_SUBJECTS": "env.>, other.>"]

    static func file(_ yaml: String) throws -> ConfigurationFile { try ConfigurationFile(yaml: yaml, source: "monitor.yaml") }

    static func resolve(
        _ flags: ServeConfiguration.Flags = .init(),
        file: ConfigurationFile? = nil,
        environment: [String: String] = [:]
    ) throws -> ServeConfiguration {
        try ServeConfiguration.resolve(flags: flags, file: file, environment: environment, defaultInstance: "host-a")
    }

    static var everyFlag: ServeConfiguration.Flags {
        var flags = ServeConfiguration.Flags()
        flags.servers = ["nats://flag:4222"]
        flags.streams = ["FLAG_STREAM"]
        flags.listen = "127.0.0.1:9100"
        flags.instance = "flag-instance"
        flags.startNew = true
        flags.snapshotInterval = 0.5
        return flags
    }

    static let fullFile = """
        nats: {servers: ["nats://file:4222"]}
        streams: [FILE_STREAM]
        subjects: ["file.>"]
        http: {listen: "127.0.0.1:9200"}
        """

    @Test func flagsWinOverTheFileAndTheEnvironment() throws {
        let resolved = try Self.resolve(Self.everyFlag, file: Self.file(Self.fullFile), environment: Self.environment)
        #expect(resolved.servers == ["nats://flag:4222"])
        #expect(resolved.configuration.servers == ["nats://flag:4222"])
        #expect(resolved.configuration.streams == ["FLAG_STREAM"])
        #expect(resolved.listen == ListenAddress(host: "127.0.0.1", port: 9100))
        #expect(resolved.configuration.listen == "127.0.0.1:9100")
        #expect(resolved.settings.instance == "flag-instance")
        #expect(resolved.settings.startNew)
        #expect(resolved.settings.snapshotInterval == 0.5)
    }

    @Test func theFileWinsOverTheEnvironment() throws {
        let resolved = try Self.resolve(file: Self.file(Self.fullFile), environment: Self.environment)
        #expect(resolved.servers == ["nats://file:4222"])
        #expect(resolved.configuration.streams == ["FILE_STREAM"])
        #expect(resolved.listen == ListenAddress(host: "127.0.0.1", port: 9200))
    }

    /// Before: `EVENT_SUBJECTS` replaced the file's `subjects`.
    @Test func eventSubjectsDoNotOverrideTheFile() throws {
        let resolved = try Self.resolve(file: Self.file(Self.fullFile), environment: Self.environment)
        #expect(resolved.configuration.subjects == ["file.>"])
    }

    @Test func theEnvironmentFillsWhatFlagsAndFileLeaveOpen() throws {
        let resolved = try Self.resolve(file: Self.file("cardinality: {domain: 5}"), environment: Self.environment)
        #expect(resolved.servers == ["nats://env:4222", "nats://env2:4222"])
        #expect(resolved.configuration.subjects == ["env.>", "other.>"])
        #expect(resolved.listen == ListenAddress(host: "0.0.0.0", port: 9300))
        #expect(resolved.configuration.limits.domain == 5)
        #expect(resolved.configuration.streams == [])
    }

    @Test func withNothingSetTheDefaultsApply() throws {
        let resolved = try Self.resolve(environment: ["NATS_URL": "", "METRICS_PORT": "", "EVENT_SUBJECTS": " , "])
        #expect(resolved.servers == ["nats://127.0.0.1:4222"])
        #expect(resolved.configuration.subjects == ["cim.>"])
        #expect(resolved.configuration.streams == [])
        #expect(resolved.listen == ListenAddress(host: "0.0.0.0", port: 9091))
        #expect(resolved.settings.instance == "host-a")
        #expect(!resolved.settings.startNew)
        #expect(resolved.settings.snapshotInterval == 5)
        #expect(!resolved.configuration.protectHealth && resolved.configuration.basicAuthUsers.isEmpty)
    }

    @Test func aBadListenPortIsReportedAgainstItsSource() throws {
        var flags = ServeConfiguration.Flags()
        flags.listen = "127.0.0.1:70000"
        #expect(throws: ConfigurationError("--listen 127.0.0.1:70000 has port 70000; the port must be 0 to 65535")) {
            _ = try Self.resolve(flags, environment: ["METRICS_PORT": "9300"])
        }
        #expect(throws: ConfigurationError("monitor.yaml:3: http.listen 127.0.0.1:70000 has port 70000; the port must be 0 to 65535")) {
            _ = try Self.resolve(file: Self.file("streams: [A]\nhttp:\n  listen: 127.0.0.1:70000"))
        }
        for value in ["70000", "-1", "http", "91 "] {
            #expect(throws: ConfigurationError("METRICS_PORT=\(value) is not a port number (0 to 65535)")) {
                _ = try Self.resolve(environment: ["METRICS_PORT": value])
            }
        }
        // A value that is not used is not checked.
        #expect(try Self.resolve(Self.everyFlag, environment: ["METRICS_PORT": "70000"]).listen.port == 9100)
    }

    @Test(arguments: [1e-300, 0, -1, 0.09, .nan, .infinity])
    func tinyOrNonFiniteSnapshotIntervalsAreRefused(_ interval: Double) {
        var flags = ServeConfiguration.Flags()
        flags.snapshotInterval = interval
        #expect {
            _ = try Self.resolve(flags)
        } throws: { error in
            "\(error)".hasPrefix("--snapshot-interval \(interval) must be a number of seconds, at least 0.1")
        }
    }

    @Test func theFileSettingsReachTheMonitor() throws {
        let resolved = try Self.resolve(
            file: Self.file("mapping: {max_payload_bytes: 4096}\ncardinality: {event_type: 7}\nhttp: {protect_health: true}"),
            environment: Self.environment
        )
        #expect(resolved.configuration.maxPayloadBytes == 4096)
        #expect(resolved.configuration.limits.eventType == 7)
        #expect(resolved.configuration.protectHealth)
    }
}
