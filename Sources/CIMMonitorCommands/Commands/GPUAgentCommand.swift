import ArgumentParser
import Foundation
import GPUTelemetry
import Logging
import Monitor
import NATS
import ServiceLifecycle
import UnixSignals

struct GPUAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Sample this node's GPUs every interval and publish the readings to NATS as events.",
        discussion: """
            Publishes cim.gpu.<node>.sampled every interval (every GPU's and MIG instance's reading) and discrete \
            events on cim.gpu.<node>.<event>: xid_error, ecc_error, throttled, throttle_cleared, gpu_lost, gpu_found, \
            driver_unavailable, recovered. Each event carries Nats-Msg-Id. While NATS is unreachable it keeps a \
            bounded window of events (oldest dropped first, drops reported in the next sampled event). Prints \
            nothing in normal operation; SIGTERM or SIGINT stops it after publishing what it holds.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Node name in subjects and labels (default: the host name).") var node: String?
    @Option(help: ArgumentHelp("Time between samples: 10s, 500ms, 1m (at least 100ms).", valueName: "duration"))
    var interval: DurationArgument = DurationArgument(seconds: 10)
    @Option(help: "Events held while NATS is unreachable (the oldest are dropped beyond it).") var buffer: Int = 4096

    func validate() throws {
        guard interval.seconds >= 0.1, interval.seconds <= 86_400 else { throw ValidationError("--interval must be between 100ms and 24h") }
        guard buffer >= 1 else { throw ValidationError("--buffer must be at least 1") }
    }

    func run() async throws {
        let source = try openGPUSource()
        var options = try connection.natsOptions()
        options.name = "cim-monitor gpu agent"
        let client = try NATSClient(options: options)
        let node = GPUSubject.token(self.node ?? ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "node")
        let agent = GPUAgent(
            client: client,
            source: source,
            settings: GPUAgent.Settings(node: node, interval: .milliseconds(Int64(interval.seconds * 1000)), bufferCapacity: buffer)
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [agent],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "gpu-agent") { _ in SwiftLogNoOpLogHandler() }
            )
        )
        do {
            try await group.run()
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

/// The first GPU source that works, or exit status 2 with one line that says what was tried.
func openGPUSource() throws -> any GPUSource {
    do {
        return try GPUSourceDiscovery.open()
    } catch {
        printError("error: \(error.message)")
        throw ExitCode(2)
    }
}
