import CIMEvents
import EventMetrics
import NATS
import NATSCore

/// Folds every message a stream holds now (up to its last sequence when the scan starts).
public struct StreamScan: Sendable {
    public let jetStream: JetStream
    public let stream: String
    public var configuration: MonitorConfiguration

    public init(jetStream: JetStream, stream: String, configuration: MonitorConfiguration) {
        self.jetStream = jetStream
        self.stream = stream
        self.configuration = configuration
    }

    /// Progress of a running scan.
    public struct Progress: Sendable {
        public var folded: UInt64
        public var lastSequence: UInt64
        public var targetSequence: UInt64
    }

    /// Runs the scan; `progress` is called about every `progressEvery` messages.
    public func run(progressEvery: Int = 50_000, progress: (Progress) -> Void = { _ in }) async throws -> MetricsFold {
        let info = try await jetStream.streamInfo(stream)
        let target = info.state.lastSeq
        var pipeline = EventPipeline(
            mapper: EventMapper(rules: configuration.rules, maxPayloadBytes: configuration.maxPayloadBytes),
            fold: MetricsFold(limits: configuration.limits)
        )
        guard info.state.messages > 0 else { return pipeline.fold }
        let consumer = jetStream.orderedConsumer(stream: stream, stopAt: target, batch: 2000)
        var countdown = progressEvery
        for try await message in consumer {
            // A scan reads the stream's past: no lag is observed (0 stands for "not used").
            pipeline.process(message, observedAt: 0, live: false)
            countdown -= 1
            if countdown == 0 {
                countdown = progressEvery
                progress(Progress(folded: pipeline.fold.eventsProcessed, lastSequence: pipeline.fold.lastSequence, targetSequence: target))
            }
        }
        return pipeline.fold
    }
}
