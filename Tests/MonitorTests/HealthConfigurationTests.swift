import Monitor
import NATSHealth
import Testing

/// The health collector's settings: each flag wins over its file key; bad values name the flag or the key.
@Suite struct HealthConfigurationTests {
    static func file(_ yaml: String) throws -> ConfigurationFile { try ConfigurationFile(yaml: yaml, source: "monitor.yaml") }

    static let fullFile = """
        nats:
          monitor_urls: ["http://file-a:8222", "http://file-b:8222"]
          system_account: {user: sys, password: file-secret}
        health: {interval: 2s, expected_servers: 5}
        """

    @Test func withoutASourceTheCollectorIsOff() throws {
        let health = try ServeConfiguration.resolveHealth(flags: .init(), file: nil)
        #expect(!health.isEnabled)
        #expect(health.interval == 15)
        #expect(health.expectedServers == nil)
    }

    @Test func theFileKeysConfigureTheCollector() throws {
        let health = try ServeConfiguration.resolveHealth(flags: .init(), file: Self.file(Self.fullFile))
        #expect(health.isEnabled)
        #expect(health.monitorURLs == ["http://file-a:8222", "http://file-b:8222"])
        #expect(health.systemCredentials == .userPassword(user: "sys", password: "file-secret"))
        #expect(health.interval == 2)
        #expect(health.expectedServers == 5)
    }

    @Test func flagsWinOverTheFile() throws {
        var flags = ServeConfiguration.Flags()
        flags.monitorURLs = ["http://flag:8222"]
        flags.systemCreds = "sys.creds"
        flags.healthInterval = 0.5
        flags.expectedServers = 3
        let health = try ServeConfiguration.resolveHealth(flags: flags, file: Self.file(Self.fullFile))
        #expect(health.monitorURLs == ["http://flag:8222"])
        #expect(health.systemCredentials == .credsFile("sys.creds"))
        #expect(health.interval == 0.5)
        #expect(health.expectedServers == 3)
    }

    @Test func theCredentialsDescriptionNeverHoldsThePassword() {
        let credentials = HealthSettings.SystemCredentials.userPassword(user: "sys", password: "file-secret")
        #expect(!"\(credentials)".contains("file-secret"))
        #expect("\(credentials)" == "user sys with a password")
    }

    @Test func badFlagsAreOneLineNamingTheFlag() {
        func flags(_ set: (inout ServeConfiguration.Flags) -> Void) -> ServeConfiguration.Flags {
            var flags = ServeConfiguration.Flags()
            set(&flags)
            return flags
        }
        let cases: [(ServeConfiguration.Flags, String)] = [
            (flags { $0.systemPassword = "p" }, "--system-password needs --system-user"),
            (flags { $0.systemUser = "u" }, "--system-user needs --system-password"),
            (
                flags {
                    $0.systemUser = "u"
                    $0.systemPassword = "p"
                    $0.systemNKey = "k"
                }, "choose one of --system-user/--system-password, --system-creds or --system-nkey"
            ),
            (flags { $0.monitorURLs = ["https://x:8222"] }, "--nats-monitor https://x:8222 is not http://host:port (without credentials)"),
            (flags { $0.monitorURLs = ["http://u:p@x:8222"] }, "--nats-monitor http://u:p@x:8222 is not http://host:port (without credentials)"),
            (flags { $0.healthInterval = 0.01 }, "--health-interval 0.01 must be a duration of at least 0.1 s"),
            (flags { $0.expectedServers = 0 }, "--expected-servers 0 must be from 1 to 10000"),
        ]
        for (flags, message) in cases {
            #expect(throws: ConfigurationError(message)) { try ServeConfiguration.resolveHealth(flags: flags, file: nil) }
        }
    }

    @Test(
        arguments: [
            ("nats: {monitor_urls: [\"ftp://x\"]}", "monitor.yaml:1: nats.monitor_urls: ftp://x is not http://host:port (without credentials)"),
            ("nats: {system_account: {user: sys}}", "monitor.yaml:1: nats.system_account.user needs a password"),
            (
                "nats: {system_account: {user: sys, password: p, nkey_file: k}}",
                "monitor.yaml:1: nats.system_account needs exactly one of user/password, creds_file or nkey_file"
            ),
            ("health: {interval: soon}", "monitor.yaml:1: health.interval soon must be a duration (15s, 500ms, 1m) of at least 0.1 s"),
            ("health: {expected_servers: 0}", nil),
            ("health: {intervall: 1s}", nil),
        ] as [(String, String?)]
    )
    func badFileKeysNameTheFileAndLine(_ yaml: String, _ message: String?) {
        do throws(ConfigurationError) {
            _ = try ConfigurationFile(yaml: yaml, source: "monitor.yaml")
            Issue.record("\(yaml) was accepted")
        } catch {
            if let message { #expect(error.message == message) }
            #expect(error.message.hasPrefix("monitor.yaml:1: "))
        }
    }
}

@Suite struct MonitoringEndpointURLTests {
    @Test func parsesHostPortAndPathAndDefaultsThePort() throws {
        let plain = try #require(HTTPMonitoringSource.Endpoint("http://nats-0.nats:8222"))
        #expect(plain.host == "nats-0.nats" && plain.port == 8222 && plain.basePath == "")
        let defaulted = try #require(HTTPMonitoringSource.Endpoint("http://127.0.0.1/"))
        #expect(defaulted.port == 8222 && defaulted.basePath == "")
        let prefixed = try #require(HTTPMonitoringSource.Endpoint("http://[::1]:9000/nats"))
        #expect(prefixed.host == "::1" && prefixed.port == 9000 && prefixed.basePath == "/nats")
    }

    @Test(arguments: ["", "http://", "https://x:8222", "http://user:pass@x:8222", "http://x:0", "http://x:99999", "http://x:port", "x:8222"])
    func rejectsWhatIsNotAPlainHTTPBase(_ url: String) {
        #expect(HTTPMonitoringSource.Endpoint(url) == nil)
    }
}
