import ArgumentParser

@main
struct CIMMonitor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cim-monitor",
        abstract: "Monitoring and operations for CIM's event-sourced systems on NATS.",
        discussion: "All monitoring data comes from events: the monitor reads JetStream and serves Prometheus metrics.",
        version: "0.1.0",
        subcommands: [
            ServeCommand.self, ScanCommand.self, SimulateCommand.self, NATSCommand.self, StreamCommand.self, ConsumerCommand.self, GPUCommand.self,
        ]
    )
}
