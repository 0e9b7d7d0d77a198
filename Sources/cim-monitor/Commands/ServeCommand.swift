import ArgumentParser
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
            Environment: NATS_URL, METRICS_PORT, EVENT_SUBJECTS (comma-separated).
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: ArgumentHelp("YAML configuration file.", valueName: "file")) var config: String?
    @Option(name: .customLong("stream"), help: "Stream to fold (repeatable); default: discover by subjects.") var streams: [String] = []
    @Option(help: ArgumentHelp("Address to serve HTTP on.", valueName: "host:port")) var listen: String?
    @Option(help: "Instance name (snapshot keys, self-event subjects); instances with different names form an HA pair.")
    var instance: String = ProcessInfo.processInfo.hostName
    @Option(help: "Where to begin in streams without a snapshot: all (first message) or new (the end).") var start: StartPolicy = .all
    @Option(help: "Seconds between snapshots.") var snapshotInterval: Double = 5

    enum StartPolicy: String, ExpressibleByArgument, CaseIterable { case all, new }

    func validate() throws {
        guard snapshotInterval > 0 else { throw ValidationError("--snapshot-interval must be positive") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let loaded = try loadConfiguration(config, connection: connection)
        var configuration = loaded.0
        let connection = loaded.1
        if !streams.isEmpty { configuration.streams = streams }
        if let subjects = environment["EVENT_SUBJECTS"], !subjects.isEmpty {
            configuration.subjects = subjects.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let address = listen ?? configuration.listen ?? environment["METRICS_PORT"].map { "0.0.0.0:\($0)" } ?? "0.0.0.0:9091"
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (0...65535).contains(port)
        else {
            printError("error: --listen \(address) is not host:port")
            throw ExitCode(1)
        }
        let host = String(address[..<colon])
        var settings = ServeSettings(instance: instance)
        settings.startNew = start == .new
        settings.snapshotInterval = snapshotInterval

        var options = try connection.natsOptions()
        options.name = "cim-monitor \(instance)"
        let client: NATSClient
        do {
            client = try NATSClient(options: options)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        do {
            try await MonitorApplication(client: client, configuration: configuration, settings: settings, host: host, port: port).run()
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}
