import CIMSimulation
import NATS
import NATSCore
import NIOCore

/// Publishes a `SimulatedWorkload` into a JetStream stream at a rate, with acks: what `cim-monitor
/// simulate` runs.
///
/// Every message is published with a reply inbox and its ack is awaited (at most `window` outstanding),
/// so the stream holds exactly what the tally says was published. The rate is a token bucket whose
/// refill follows a `BurstSchedule` (unless `bursts` is off).
public struct SimulationRun: Sendable {
    /// What to publish, where, and how fast.
    public struct Settings: Sendable {
        public var stream = "CIM_EVENTS"
        /// Messages per second on average; 0 publishes as fast as acks come back.
        public var rate = 100.0
        /// Stop after this many messages; `nil` runs until `shouldStop` says so.
        public var count: Int?
        public var seed: UInt64 = 1
        /// The probability that a domain event is a failure (0...1).
        public var failureRate = SimulatedWorkload.defaultFailureRate
        public var bursts = true
        /// Publish acks outstanding at most.
        public var window = 256
        /// Seconds between progress reports.
        public var progressInterval = 5.0

        public init() {}
    }

    /// How `prepareStream` found or left the stream.
    public enum StreamPreparation: Sendable, Equatable {
        /// It exists and captures every subject the workload uses.
        case ready
        case created(subjects: [String])
        /// Subjects were added to an existing stream.
        case extended(added: [String])
        /// It exists but does not capture these subjects (publishing to them will fail).
        case incomplete(missing: [String])
    }

    /// A progress report.
    public struct Progress: Sendable {
        public var tally: SimulationTally
        public var acks: JetStreamPublisher.Summary
        /// Seconds since the start.
        public var elapsed: Double
        /// Messages per second since the previous report.
        public var currentRate: Double
    }

    public let jetStream: JetStream
    public let settings: Settings

    public init(jetStream: JetStream, settings: Settings) {
        self.jetStream = jetStream
        self.settings = settings
    }

    /// Checks that the stream exists and captures the workload's subjects; with `create`, creates it
    /// (subjects `SimulatedWorkload.streamSubjects`, file storage, 2-minute duplicate window) or adds
    /// the missing subjects. Without `create`, a missing stream is `JetStreamError.streamNotFound`.
    public func prepareStream(create: Bool) async throws -> StreamPreparation {
        let wanted = SimulatedWorkload.streamSubjects
        let info: StreamInfo
        do {
            info = try await jetStream.streamInfo(settings.stream)
        } catch let error as JetStreamError where error == .streamNotFound && create {
            var config = StreamConfig(name: settings.stream, subjects: wanted)
            config.description = "CIM events (created by cim-monitor simulate)"
            config.duplicateWindow = 120_000_000_000
            _ = try await jetStream.createStream(config)
            return .created(subjects: wanted)
        }
        let present = info.config.subjects ?? []
        let missing = wanted.filter { subject in !present.contains { Self.filter($0, covers: subject) } }
        guard !missing.isEmpty else { return .ready }
        guard create else { return .incomplete(missing: missing) }
        var config = info.config
        config.subjects = present + missing
        _ = try await jetStream.updateStream(config)
        return .extended(added: missing)
    }

    /// Publishes until `settings.count` messages or until `shouldStop()` returns `true`, then waits for
    /// the outstanding acks (up to `ackTimeout` seconds) and returns the tally and the ack totals.
    public func run(
        ackTimeout: Double = 30,
        shouldStop: @Sendable () -> Bool,
        progress: (Progress) -> Void
    ) async throws -> (tally: SimulationTally, acks: JetStreamPublisher.Summary) {
        let publisher = try await JetStreamPublisher(jetStream, window: settings.window)
        var workload = SimulatedWorkload(seed: settings.seed, failureRate: settings.failureRate)
        var schedule = BurstSchedule(seed: settings.seed)
        var bucket = TokenBucket(capacity: max(1, settings.rate / 20))
        var tally = SimulationTally()
        let clock = ContinuousClock()
        let start = clock.now
        var lastReport = (time: 0.0, published: 0)
        while !shouldStop() && settings.count.map({ tally.published < $0 }) ?? true {
            let elapsed = Self.seconds(clock.now - start)
            if elapsed - lastReport.time >= settings.progressInterval {
                let rate = Double(tally.published - lastReport.published) / max(elapsed - lastReport.time, 1e-9)
                progress(Progress(tally: tally, acks: publisher.summary, elapsed: elapsed, currentRate: rate))
                lastReport = (elapsed, tally.published)
            }
            if settings.rate > 0 {
                let rate = settings.rate * (settings.bursts ? schedule.factor(at: elapsed) : 1)
                let wait = bucket.take(now: elapsed, rate: rate)
                if wait > 0 {
                    try? await Task.sleep(for: .seconds(min(wait, 0.1)))
                    continue
                }
            }
            let message = workload.next()
            let headers = message.headers.isEmpty ? nil : NATSHeaders(message.headerPairs)
            try await publisher.publish(ByteBuffer(bytes: message.payload), to: message.subject, headers: headers)
            tally.record(message)
        }
        let acks = try await publisher.finish(timeout: ackTimeout)
        return (tally, acks)
    }

    /// Whether stream subject `filter` captures every subject that `subject` (a filter too) matches.
    static func filter(_ filter: String, covers subject: String) -> Bool {
        let outer = filter.split(separator: ".", omittingEmptySubsequences: false)
        let inner = subject.split(separator: ".", omittingEmptySubsequences: false)
        for (index, token) in outer.enumerated() {
            if token == ">" { return inner.count > index }
            guard index < inner.count, inner[index] != ">" else { return false }
            if token != "*" && (token != inner[index] || inner[index] == "*") { return false }
        }
        return outer.count == inner.count
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
