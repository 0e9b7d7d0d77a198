import ArgumentParser
import CommandSupport
import Foundation
import Monitor
import NATS
import NATSHealth

/// `cim-monitor nats status`: a one-shot report of the cluster, like `nats server report`.
struct NATSStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Report the NATS cluster's servers, JetStream streams and consumers once.",
        discussion: """
            Polls every server through the system account ($SYS requests; --system-user/--system-password, \
            --system-creds or --system-nkey) and/or the HTTP monitoring URLs given with --nats-monitor, twice, \
            --health-interval apart (default 1s): a consumer with messages unacknowledged whose ack floor did not \
            move in between is stalled. Exit status: 0 healthy, 1 degraded (a server down, fewer servers than \
            expected, no meta leader, a consumer stalled), 2 the cluster cannot be reached.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup(title: "NATS cluster health") var health: HealthOptions
    @Option(help: ArgumentHelp("YAML configuration file (nats.servers, nats.monitor_urls, nats.system_account, health.*).", valueName: "file"))
    var config: String?
    @Flag(help: "Print JSON instead of tables.") var json = false
    @Option(help: "Polls to make, --health-interval apart (at least 2); the report is of the last. More measure a poll's cost.")
    var polls = 2

    func validate() throws {
        guard polls >= 2 else { throw ValidationError("--polls must be at least 2") }
    }

    func run() async throws {
        var flags = ServeConfiguration.Flags()
        health.apply(to: &flags)
        var settings: HealthSettings
        var connection = connection
        do {
            let file = try config.map { path throws(ConfigurationError) in try ConfigurationFile(contentsOf: path) }
            settings = try ServeConfiguration.resolveHealth(flags: flags, file: file)
            if connection.servers.isEmpty, let servers = file?.servers { connection.servers = servers }
        } catch {
            printError("error: \(error)")
            throw ExitCode.validationFailure
        }
        guard settings.isEnabled else {
            printError(
                "error: nothing to poll: give --nats-monitor http://host:8222 or system account credentials (--system-user/--system-password, --system-creds, --system-nkey)"
            )
            throw ExitCode.validationFailure
        }
        let sample = health.healthInterval?.seconds ?? 1
        settings.stallPolls = 1
        settings.interval = max(ServeConfiguration.minimumHealthInterval, min(sample, 10))
        let base = try connection.natsOptions()
        // The application account's client reads the oldest unacknowledged message for the lag; without it the lag is
        // unknown, nothing else.
        var appClient: NATSClient?
        if !connection.servers.isEmpty || ProcessInfo.processInfo.environment["NATS_URL"]?.isEmpty == false {
            var options = base
            options.allowReconnect = false
            if let client = try? NATSClient(options: options), (try? await client.connect()) != nil { appClient = client }
        }
        let collector: HealthCollector
        do {
            collector = try HealthCollector(
                settings: settings,
                systemOptions: try settings.systemOptions(base: base),
                jetStream: appClient.map { JetStream(client: $0) },
                publish: { _ in }
            )
        } catch {
            printError("error: \(error)")
            throw ExitCode.validationFailure
        }
        var cpu = 0.0
        var wall = 0.0
        for poll in 0..<polls {
            if poll > 0 { try? await Task.sleep(for: .seconds(sample)) }
            let (cpuBefore, clock) = (Self.cpuSeconds(), ContinuousClock.now)
            await collector.pollOnce()
            cpu += Self.cpuSeconds() - cpuBefore
            let elapsed = ContinuousClock.now - clock
            wall += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        let (view, snapshots, statistics) = collector.current()
        await collector.close()
        await appClient?.close()
        let report = StatusReport(view: view, snapshots: snapshots, statistics: statistics)
        if json {
            writeOutput(Array(report.json(cpuPerPoll: cpu / Double(polls), wallPerPoll: wall / Double(polls)).utf8) + [0x0A])
        } else {
            writeOutput(Array(report.table().utf8))
        }
        switch report.health {
        case .healthy: return
        case .degraded: throw ExitCode(1)
        case .unreachable:
            if !json {
                printError(
                    "error: no NATS server answered: \(report.firstError ?? "check --server, --nats-monitor and the system account credentials")"
                )
            }
            throw ExitCode(2)
        }
    }

    /// The process's user and system CPU seconds so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
