import ArgumentParser
import CommandSupport
import EventMetrics
import Foundation
import Monitor
import NATS

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Fold every message a stream holds now into metrics, print them, and exit.",
        discussion: """
            Reads the stream from its first message up to its last sequence at the start of the scan, maps each \
            message with the cim profile (and the config file's rules), and prints the exposition. On a terminal, \
            progress goes to stderr.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case prometheus, openmetrics, json
    }

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Stream to scan.") var stream: String
    @Option(help: ArgumentHelp("YAML configuration file (mapping rules, cardinality limits).", valueName: "file")) var config: String?
    @Option(help: "Output format: prometheus, openmetrics or json.") var format: Format = .prometheus

    func run() async throws {
        let (configuration, connection) = try loadConfiguration(config, connection: connection)
        try await withJetStream(connection) { jetStream in
            let scan = StreamScan(jetStream: jetStream, stream: stream, configuration: configuration)
            let reporter = ProgressReporter()
            let fold = try await scan.run { progress in reporter.report(progress) }
            reporter.finish(fold.eventsProcessed)
            let output: [UInt8]
            switch format {
            case .json:
                output = fold.json()
            case .prometheus:
                output = try ExpositionFormat.prometheus.render(fold.families())
            case .openmetrics:
                output = try ExpositionFormat.openMetrics.render(fold.families())
            }
            writeOutput(output)
        }
    }
}

/// Progress on stderr when it is a terminal and the scan runs longer than a second.
final class ProgressReporter {
    private let start = ContinuousClock.now
    private let enabled = isatty(STDERR_FILENO) == 1
    private var shown = false

    func report(_ progress: StreamScan.Progress) {
        let elapsed = (ContinuousClock.now - start).seconds
        guard enabled, elapsed > 1 else { return }
        shown = true
        let percent = progress.targetSequence > 0 ? Double(progress.lastSequence) * 100 / Double(progress.targetSequence) : 100
        let rate = Double(progress.folded) / elapsed
        writeOutput(
            Array(String(format: "\rscanned %llu events (%.0f%%, %@ events/s)   ", progress.folded, percent, formatRate(rate)).utf8),
            to: STDERR_FILENO
        )
    }

    func finish(_ folded: UInt64) {
        guard enabled, shown else { return }
        let elapsed = (ContinuousClock.now - start).seconds
        writeOutput(Array(String(format: "\rscanned %llu events in %.1fs%20s\n", folded, elapsed, "").utf8), to: STDERR_FILENO)
    }
}
