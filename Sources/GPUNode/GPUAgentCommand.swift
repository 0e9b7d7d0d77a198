import ArgumentParser
import CommandSupport
import Foundation
import GPUTelemetry
import Logging
import NATS
import ServiceLifecycle
import UnixSignals

/// `cim-monitor gpu agent`, and the whole of the `cim-gpu-agent` executable.
///
/// Run as `cim-monitor gpu agent`, it hands over (`execv`, same process id) to `cim-gpu-agent` when that executable
/// sits next to `cim-monitor`: the lean binary holds only the NATS client and the GPU sources, so the resident agent on
/// every GPU node costs a fraction of the whole tool's memory. Without it, or with `CIM_GPU_AGENT_IN_PROCESS=1`, the
/// agent runs in this process.
public struct GPUAgentCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Sample this node's GPUs every interval and publish the readings to NATS as events.",
        discussion: """
            Publishes cim.gpu.<node>.sampled every interval (every GPU's and MIG instance's reading) and discrete \
            events on cim.gpu.<node>.<event>: xid_error, ecc_error, throttled, throttle_cleared, gpu_lost, gpu_found, \
            driver_unavailable, recovered. Each event carries Nats-Msg-Id. While NATS is unreachable it keeps a \
            bounded window of events (oldest dropped first, drops reported in the next sampled event). Prints \
            nothing in normal operation; SIGTERM or SIGINT stops it after publishing what it holds. \
            `cim-monitor gpu agent` runs the lean `cim-gpu-agent` executable installed beside it (same flags), \
            unless CIM_GPU_AGENT_IN_PROCESS=1.
            """
    )

    @OptionGroup public var connection: ConnectionOptions
    @Option(help: "Node name in subjects and labels (default: the host name).") public var node: String?
    @Option(help: ArgumentHelp("Time between samples: 10s, 500ms, 1m (at least 100ms).", valueName: "duration"))
    public var interval: DurationArgument = DurationArgument(seconds: 10)
    @Option(help: "Events held while NATS is unreachable (the oldest are dropped beyond it).") public var buffer: Int = 4096

    public init() {}

    public func validate() throws {
        guard interval.seconds >= 0.1, interval.seconds <= 86_400 else { throw ValidationError("--interval must be between 100ms and 24h") }
        guard buffer >= 1 else { throw ValidationError("--buffer must be at least 1") }
    }

    public func run() async throws {
        LeanAgentExecutable.handOver(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
        try await runHere()
    }

    /// Runs the agent in this process until SIGTERM or SIGINT.
    public func runHere() async throws {
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
public func openGPUSource() throws -> any GPUSource {
    do {
        return try GPUSourceDiscovery.open()
    } catch {
        printError("error: \(error.message)")
        throw ExitCode(2)
    }
}
