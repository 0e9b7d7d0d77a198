import ArgumentParser
import CommandSupport
import Foundation
import Monitor
import NATS
import NATSCore
import NATSHealth
import Operations

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Is CIM healthy? One line per check (ok, warn or critical), exit status 0, 1 or 2 by the worst.",
        discussion: """
            Checks: NATS reachable and authenticated; cluster servers up and a JetStream meta leader (polled like \
            `nats status`, through the system account or --nats-monitor; else asked over the connection, which only a \
            system-account user sees); JetStream \
            enabled with storage headroom; each event stream present and receiving (age of its last message); \
            durable consumers lagging or stalled; monitor instances alive (age of their snapshot in KV CIM_MONITOR); \
            GPU agents reporting (age of their last cim.gpu.<node>.sampled event). Each line that is not ok says \
            what to do. --json prints the same for scripts.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup(title: "NATS cluster health") var health: HealthOptions
    @Option(
        help: ArgumentHelp(
            "YAML configuration file (nats.servers, nats.monitor_urls, nats.system_account, health.*, check.*, streams).",
            valueName: "file"
        )
    )
    var config: String?
    @Flag(help: "Print JSON.") var json = false
    @Option(
        name: .customLong("stream"),
        help: "Event stream to check (repeatable; default: the config file's streams, else every stream but KV and object buckets)."
    )
    var streams: [String] = []
    @Option(help: "The monitor's KV bucket.") var bucket = "CIM_MONITOR"
    @OptionGroup(title: "Thresholds (each also check.<name> in the config file, with _ for -)") var limits: CheckThresholdOptions

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        var results: [CheckResult] = []
        var connection = connection
        var streams = streams
        var settings = HealthSettings()
        var thresholds = CheckThresholds()
        do {
            var flags = ServeConfiguration.Flags()
            health.apply(to: &flags)
            let file = try config.map { path throws(ConfigurationError) in try ConfigurationFile(contentsOf: path) }
            settings = try ServeConfiguration.resolveHealth(flags: flags, file: file)
            thresholds = try limits.resolve(file: file?.check ?? CheckSettings())
            if connection.servers.isEmpty, let servers = file?.servers { connection.servers = servers }
            if streams.isEmpty, let fileStreams = file?.streams { streams = fileStreams }
        } catch {
            printError("error: \(error)")
            throw ExitCode.validationFailure
        }
        let clock = ContinuousClock()
        let start = clock.now
        var client: NATSClient?
        do {
            var options = try connection.natsOptions()
            options.allowReconnect = false
            let connected = try NATSClient(options: options)
            try await connected.connect()
            client = connected
            let info = connected.serverInfo
            results.append(
                CheckResult(
                    "nats",
                    .ok,
                    "connected to \(info?.serverName ?? "server") (v\(info?.version ?? "?")) in \(Int((clock.now - start).seconds * 1000)) ms"
                )
            )
        } catch {
            results.append(
                CheckResult(
                    "nats",
                    .critical,
                    "cannot connect: \(error)",
                    action: "check the server and the credentials: docs/runbooks/nats-recovery.md#natsserverdown"
                )
            )
        }
        if let client {
            var view: ClusterView?
            if settings.isEnabled {
                settings.stallPolls = 1
                settings.interval = 2
                let collector = try? HealthCollector(
                    settings: settings,
                    systemOptions: try? settings.systemOptions(base: connection.natsOptions()),
                    jetStream: nil,
                    publish: { _ in }
                )
                if let collector {
                    await collector.pollOnce()
                    view = collector.current().view
                    await collector.close()
                }
            }
            thresholds.expectedServers = settings.expectedServers ?? 0
            let check = HealthCheck(
                jetStream: JetStream(client: client),
                thresholds: thresholds,
                streams: streams,
                bucket: bucket,
                now: Date().timeIntervalSince1970,
                clusterView: view
            )
            results.append(contentsOf: await check.run())
            await client.close()
        }
        let worst = CheckVerdict.worst(results)
        if json {
            struct Report: Encodable {
                var status: CheckStatus
                var checks: [CheckResult]
            }
            try printJSON(Report(status: worst, checks: results))
        } else {
            writeOutput(Array(results.map(\.line).joined(separator: "\n").utf8) + [10])
        }
        if worst != .ok { throw ExitCode(worst.exitCode) }
    }
}
