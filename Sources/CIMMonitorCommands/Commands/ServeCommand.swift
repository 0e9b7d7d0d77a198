import ArgumentParser
import CommandSupport
import Foundation
import Monitor
import MonitorServer
import NATS

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the event monitor: fold the event streams into metrics and serve them on HTTP.",
        discussion: """
            Consumes every stream whose subjects overlap the event subjects (cim.> unless configured), resumes \
            exactly after its last snapshot, and serves /metrics, /healthz, /readyz. Writes nothing to stdout or \
            stderr in normal operation: its own happenings are events on cim.monitor.<instance>.<event>. \
            Each setting comes from its flag, else the --config file, else the environment: NATS_URL, METRICS_PORT, \
            EVENT_SUBJECTS (comma-separated). With --nats-monitor URLs or system account credentials it also polls \
            the NATS cluster's health every --health-interval: nats_* (prometheus-nats-exporter names) and cim_nats_* \
            families, and nats.<change> events (server_down, server_up, meta_leader_changed, …).
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup(title: "NATS cluster health (runs when --nats-monitor or system account credentials are given)") var health: HealthOptions
    @Option(help: ArgumentHelp("YAML configuration file.", valueName: "file")) var config: String?
    @Option(name: .customLong("stream"), help: "Stream to fold (repeatable); default: discover by subjects.") var streams: [String] = []
    @Option(help: ArgumentHelp("Address to serve HTTP on (default 0.0.0.0:9091).", valueName: "host:port")) var listen: String?
    @Option(help: "Instance name (snapshot keys, self-event subjects); instances with different names form an HA pair. Default: the host name.")
    var instance: String?
    @Option(help: "Where to begin in streams without a snapshot: all (first message) or new (the end).") var start: StartPolicy = .all
    @Option(help: "Seconds between snapshots (at least 0.1; default 5).") var snapshotInterval: Double?

    enum StartPolicy: String, ExpressibleByArgument, CaseIterable { case all, new }

    func run() async throws {
        var flags = ServeConfiguration.Flags()
        flags.servers = connection.servers
        flags.streams = streams
        flags.listen = listen
        flags.instance = instance
        flags.startNew = start == .new
        flags.snapshotInterval = snapshotInterval
        health.apply(to: &flags)
        let resolved: ServeConfiguration
        do {
            resolved = try ServeConfiguration.resolve(
                flags: flags,
                file: try config.map { path throws(ConfigurationError) in try ConfigurationFile(contentsOf: path) },
                environment: ProcessInfo.processInfo.environment,
                defaultInstance: ProcessInfo.processInfo.hostName
            )
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        var connection = connection
        connection.servers = resolved.servers
        var options = try connection.natsOptions()
        options.name = "cim-monitor \(resolved.settings.instance)"
        let client: NATSClient
        do {
            client = try NATSClient(options: options)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        let application = MonitorApplication(
            client: client,
            configuration: resolved.configuration,
            settings: resolved.settings,
            host: resolved.listen.host,
            port: resolved.listen.port,
            health: resolved.health
        )
        do {
            try await application.run()
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}
