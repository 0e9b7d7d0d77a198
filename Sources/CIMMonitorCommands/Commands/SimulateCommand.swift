import ArgumentParser
import CIMSimulation
import CommandSupport
import Foundation
import Monitor
import NATS
import NATSHealth
import Synchronization

/// Interrupts received (SIGINT, SIGTERM): the first stops the simulation gracefully, the second exits at once.
private let interrupts = Atomic<Int>(0)

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Publish a realistic synthetic CIM workload into JetStream, for demos and benchmarks.",
        discussion: """
            Seventeen CIM domains (graph, person, agent, workflow, gpu, …) in the subject shapes and envelopes CIM \
            producers use, about 3 % failures with error kinds, workflows that complete or fail under one correlation \
            id, GPU samples, bursts, and now and then a duplicate event id or a malformed payload. The same --seed gives \
            the same sequence of events. Every message is published with an ack, so the stream holds exactly what the \
            summary says. Progress goes to stderr every few seconds; Ctrl-C waits for the outstanding acks, prints the \
            summary and exits 0.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Stream that stores the workload.") var stream = "CIM_EVENTS"
    @Option(help: "Messages per second on average (bursts go a few times higher); 0 publishes as fast as acks allow.")
    var rate: Double = 100
    @Option(help: "Stop after this many messages (default: run until Ctrl-C).") var count: Int?
    @Option(help: "Seed of the workload: the same seed gives the same events (default: a random seed, printed).") var seed: UInt64?
    @Option(help: "The share of domain events that are failures, 0 to 1; a high value makes a failure burst.")
    var failureRate: Double = SimulatedWorkload.defaultFailureRate
    @Flag(help: "Create the stream if it is missing, or add the subjects it lacks.") var createStream = false
    @Flag(help: "Publish at a steady rate, without bursts and lulls.") var steady = false
    @Option(help: "Publish acks outstanding at most.") var window = 256
    @Option(help: "Seconds between progress lines on stderr; 0 for none.") var progressInterval: Double = 5

    func validate() throws {
        guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be 0 or more messages per second") }
        if let count, count <= 0 { throw ValidationError("--count must be at least 1") }
        guard (0...1).contains(failureRate) else { throw ValidationError("--failure-rate must be between 0 and 1") }
        guard window > 0 else { throw ValidationError("--window must be at least 1") }
        guard progressInterval >= 0 else { throw ValidationError("--progress-interval cannot be negative") }
    }

    func run() async throws {
        var settings = SimulationRun.Settings()
        settings.stream = stream
        settings.rate = rate
        settings.count = count
        settings.seed = seed ?? UInt64.random(in: 1...999_999)
        settings.failureRate = failureRate
        settings.bursts = !steady
        settings.window = window
        settings.progressInterval = progressInterval > 0 ? progressInterval : .infinity
        let finalSettings = settings
        try await withJetStream(connection) { jetStream in
            let run = SimulationRun(jetStream: jetStream, settings: finalSettings)
            try await prepare(run)
            Self.catchInterrupts()
            let rateText = rate > 0 ? "\(formatRate(rate))/s" : "full speed"
            let started = Date()
            printError(
                "simulating CIM traffic into \(stream): \(rateText), \(count.map { "\($0) messages" } ?? "until Ctrl-C"), seed \(finalSettings.seed)"
            )
            let (tally, acks) = try await run.run(shouldStop: { interrupts.load(ordering: .relaxed) > 0 }) { progress in
                printError(Self.progressLine(progress))
            }
            printError(Self.summary(tally, acks: acks, seconds: Date().timeIntervalSince(started)))
            if acks.failed > 0 {
                printError("error: \(acks.failed) messages were not stored: \(acks.firstError ?? "no reason given")")
                throw ExitCode(1)
            }
        }
    }

    private func prepare(_ run: SimulationRun) async throws {
        let preparation: SimulationRun.StreamPreparation
        do {
            preparation = try await run.prepareStream(create: createStream)
        } catch let error as JetStreamError where error == .streamNotFound {
            printError("error: stream \(stream) does not exist; pass --create-stream to create it")
            throw ExitCode(1)
        }
        switch preparation {
        case .ready: break
        case .created(let subjects): printError("created stream \(stream) on \(subjects.joined(separator: " "))")
        case .extended(let added): printError("added \(added.joined(separator: " ")) to stream \(stream)")
        case .incomplete(let missing):
            printError(
                "warning: stream \(stream) does not capture \(missing.joined(separator: " ")); those messages will fail (--create-stream adds them)"
            )
        }
    }

    private static func catchInterrupts() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { _ in
                // Async-signal-safe: an atomic add and, on the second interrupt, _exit.
                if interrupts.add(1, ordering: .relaxed).newValue > 1 { _exit(130) }
            }
        }
    }

    static func progressLine(_ progress: SimulationRun.Progress) -> String {
        let tally = progress.tally
        return String(
            format: "%6.0fs  published %d (%@/s)  acked %d  failures %d (%.1f%%)  workflows %d started, %d completed, %d failed",
            progress.elapsed,
            tally.published,
            formatRate(progress.currentRate),
            progress.acks.acknowledged,
            tally.failures,
            tally.failureRatio * 100,
            tally.workflowsStarted,
            tally.workflowsCompleted,
            tally.workflowsFailed
        )
    }

    static func summary(_ tally: SimulationTally, acks: JetStreamPublisher.Summary, seconds: Double) -> String {
        let kinds = tally.kinds
        return String(
            format: """
                published %d messages (%@) in %.1fs (%@/s): %d stored, %d not stored
                  %d failure events (%.1f%%), %d GPU events, %d duplicate ids, %d malformed; \
                workflows %d started, %d completed, %d failed
                """,
            tally.published,
            formatBytes(UInt64(tally.bytes)),
            seconds,
            formatRate(Double(tally.published) / max(seconds, 1e-9)),
            acks.acknowledged - acks.duplicates,
            acks.failed,
            tally.failures,
            tally.failureRatio * 100,
            kinds[.gpuEvent, default: 0],
            kinds[.duplicate, default: 0],
            kinds[.malformed, default: 0],
            tally.workflowsStarted,
            tally.workflowsCompleted,
            tally.workflowsFailed
        )
    }
}
