import ArgumentParser
import CommandSupport
import Monitor

/// The NATS health flags that `serve` and `nats status` share; each has a key in the configuration file.
struct HealthOptions: ParsableArguments {
    @Option(
        name: .customLong("nats-monitor"),
        help: ArgumentHelp("A server's HTTP monitoring base URL (repeatable); file key nats.monitor_urls.", valueName: "http://host:8222")
    )
    var monitorURLs: [String] = []

    @Option(name: .customLong("system-user"), help: "System account user for $SYS requests; file key nats.system_account.user.")
    var systemUser: String?

    @Option(name: .customLong("system-password"), help: "System account password; file key nats.system_account.password.")
    var systemPassword: String?

    @Option(
        name: .customLong("system-creds"),
        help: ArgumentHelp("System account .creds file; file key nats.system_account.creds_file.", valueName: "file")
    )
    var systemCreds: String?

    @Option(
        name: .customLong("system-nkey"),
        help: ArgumentHelp("File with the system account's NKEY seed; file key nats.system_account.nkey_file.", valueName: "file")
    )
    var systemNKey: String?

    @Option(
        name: .customLong("health-interval"),
        help: ArgumentHelp("Time between health polls (15s, 500ms, 1m; at least 0.1s); file key health.interval.", valueName: "duration")
    )
    var healthInterval: DurationArgument?

    @Option(
        name: .customLong("expected-servers"),
        help: "Expected cluster size (default: the largest number of servers seen); file key health.expected_servers."
    )
    var expectedServers: Int?

    /// Puts the flags into `serve`'s precedence.
    func apply(to flags: inout ServeConfiguration.Flags) {
        flags.monitorURLs = monitorURLs
        flags.systemUser = systemUser
        flags.systemPassword = systemPassword
        flags.systemCreds = systemCreds
        flags.systemNKey = systemNKey
        flags.healthInterval = healthInterval?.seconds
        flags.expectedServers = expectedServers
    }
}
