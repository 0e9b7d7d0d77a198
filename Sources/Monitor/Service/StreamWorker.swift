import CIMEvents
import EventMetrics
import Foundation
import NATS
import NATSCore
import Synchronization

/// Folds one stream live: resumes after the last snapshot's sequence, keeps folding, and saves snapshots.
///
/// The fold and the last folded sequence are saved together in one KV value (`<instance>.<stream>` in
/// `CIM_MONITOR`), so a restart resumes at exactly the next message: nothing lost, nothing counted twice.
public final class StreamWorker: Sendable {
    public struct Status: Sendable {
        public var lastSequence: UInt64 = 0
        public var pending: UInt64 = 0
        /// The stream's last sequence when folding started; messages after it are live.
        public var catchUpPoint: UInt64 = 0
        public var caughtUp = false
        public var missed: UInt64 = 0
        public var lastSnapshot: Double = 0
    }

    public let stream: String
    let jetStream: JetStream
    let store: KeyValue
    let key: String
    let startNew: Bool
    let configuration: MonitorConfiguration
    private let pipeline: Mutex<EventPipeline>
    private let status = Mutex(Status())
    private let overflowReported = Mutex(Set<String>())
    /// Messages and heartbeats received: the readiness watchdog checks that it keeps growing.
    public let activity = ConsumerActivity()

    init(stream: String, jetStream: JetStream, store: KeyValue, instance: String, startNew: Bool, configuration: MonitorConfiguration) {
        self.stream = stream
        self.jetStream = jetStream
        self.store = store
        self.key = "\(instance).\(stream)"
        self.startNew = startNew
        self.configuration = configuration
        self.pipeline = Mutex(
            EventPipeline(
                mapper: EventMapper(rules: configuration.rules, maxPayloadBytes: configuration.maxPayloadBytes),
                fold: MetricsFold(limits: configuration.limits, duplicateWindow: 50_000)
            )
        )
    }

    public var currentStatus: Status { status.withLock { $0 } }

    /// The metric families of this stream's fold.
    public func families() -> [MetricFamily] { pipeline.withLock { $0.fold.families() } }

    /// Label families whose values overflowed since the last call (for `cardinality_limit_reached` events).
    func newOverflows() -> [String] {
        let counts = pipeline.withLock { $0.fold.overflowCounts }
        return overflowReported.withLock { reported in
            let fresh = counts.filter { $0.value > 0 && !reported.contains($0.key) }.map(\.key).sorted()
            reported.formUnion(fresh)
            return fresh
        }
    }

    /// Loads the snapshot (if any) and folds until cancelled.
    func run() async throws {
        var resumeAfter: UInt64 = 0
        if let entry = try await store.get(key) {
            do {
                let fold = try MetricsFold(snapshot: entry.value)
                resumeAfter = fold.lastSequence
                pipeline.withLock { $0.fold = fold }
            } catch {
                // A snapshot we cannot read is not trusted: start over from the stream.
                resumeAfter = 0
            }
        }
        let info = try await jetStream.streamInfo(stream)
        var missed: UInt64 = 0
        if resumeAfter > 0, info.state.firstSeq > resumeAfter + 1 {
            missed = info.state.firstSeq - resumeAfter - 1
        }
        let start: OrderedConsumer.Start
        if resumeAfter > 0 {
            start = .sequence(resumeAfter + 1)
        } else if startNew {
            start = .new
        } else {
            start = .all
        }
        status.withLock { status in
            status.lastSequence = resumeAfter
            status.catchUpPoint = startNew && resumeAfter == 0 ? 0 : info.state.lastSeq
            status.caughtUp = status.catchUpPoint <= resumeAfter
            status.missed += missed
        }
        let catchUpPoint = status.withLock { $0.catchUpPoint }
        let consumer = jetStream.orderedConsumer(stream: stream, start: start, batch: 1000, expires: 30, heartbeat: 5).counting(activity)
        var iterator = consumer.makeAsyncIterator()
        while let message = try await iterator.next() {
            let sequence = message.metadata.streamSequence
            let observed = Date().timeIntervalSince1970
            pipeline.withLock { pipeline in
                let event = pipeline.map(message.message, reference: message.metadata.timestamp)
                pipeline.fold.fold(event, storedAt: message.metadata.timestamp, sequence: sequence)
                if sequence > catchUpPoint, let time = event.time {
                    pipeline.fold.observeLag(observed - time, domain: event.domain)
                }
            }
            status.withLock { status in
                status.lastSequence = sequence
                status.pending = message.metadata.pending
                if sequence >= status.catchUpPoint || message.metadata.pending == 0 { status.caughtUp = true }
            }
        }
    }

    /// Saves the fold and its last sequence as one value.
    func saveSnapshot() async throws {
        let bytes = pipeline.withLock { $0.fold.snapshot() }
        try await store.put(key, bytes)
        status.withLock { $0.lastSnapshot = Date().timeIntervalSince1970 }
    }
}
