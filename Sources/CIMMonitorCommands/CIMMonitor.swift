import ArgumentParser
import CommandSupport

/// The `cim-monitor` command line. The executable only runs it; tests parse documented command lines against it.
public struct CIMMonitor: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cim-monitor",
        abstract: "Monitoring and operations for CIM's event-sourced systems on NATS.",
        discussion: "All monitoring data comes from events: the monitor reads JetStream and serves Prometheus metrics.",
        version: ToolVersion.current,
        subcommands: [
            ServeCommand.self, ScanCommand.self, SimulateCommand.self, NATSCommand.self, StreamCommand.self, ConsumerCommand.self,
            ReplayCommand.self, BackupCommand.self, RestoreCommand.self, CheckCommand.self, GPUCommand.self,
        ]
    )

    public init() {}
}
