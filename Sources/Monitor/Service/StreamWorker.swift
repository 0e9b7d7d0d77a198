import CIMEvents
import EventMetrics
import Foundation
import NATS
import NATSCore
import Synchronization

/// Folds one stream live: resumes after the last snapshot's sequence, keeps folding, and saves snapshots.
///
/// The fold and the last folded sequence are saved together in one KV value (``SnapshotKey``, in `CIM_MONITOR`),
/// so a restart resumes at exactly the next message: nothing lost, nothing counted twice. The snapshot also
/// names the stream it belongs to (its creation time): a stream that was deleted and recreated, or one that is
/// behind the snapshot, is detected at start and while folding, and folding goes on at the new stream's first
/// message, adding to the counts (`stream_reset`). A snapshot that does not read is recounted from the stream
/// (`snapshot_invalid`). While the stream does not exist the worker waits for it.
public final class StreamWorker: Sendable {
    public struct Status: Sendable {
        public var lastSequence: UInt64 = 0
        public var pending: UInt64 = 0
        /// The stream's last sequence when folding started; messages after it are live.
        public var catchUpPoint: UInt64 = 0
        public var caughtUp = false
        public var missed: UInt64 = 0
        public var lastSnapshot: Double = 0
        /// The stream does not exist (deleted, or not created yet): the worker waits for it.
        public var waitingForStream = false
        /// Snapshot saves that failed since start.
        public var snapshotFailures: UInt64 = 0
        /// Neither messages nor heartbeats arrived for `stallThreshold` (the worker's own clock decides).
        public var stalled = false
    }

    /// Without messages or heartbeats (every 5 s) for this long, a consumer counts as stalled.
    static let stallThreshold = Duration.seconds(15)

    public let stream: String
    let jetStream: JetStream
    let store: KeyValue
    let key: String
    let startNew: Bool
    let configuration: MonitorConfiguration
    let events: MonitorEventPublisher
    private let pipeline: Mutex<EventPipeline>
    private let status = Mutex(Status())
    private let overflowReported = Mutex(Set<String>())
    /// Messages and heartbeats received: the stall watch (`watchForStalls`) checks that it keeps growing.
    public let activity = ConsumerActivity()

    init(
        stream: String,
        jetStream: JetStream,
        store: KeyValue,
        events: MonitorEventPublisher,
        startNew: Bool,
        configuration: MonitorConfiguration
    ) {
        self.stream = stream
        self.jetStream = jetStream
        self.store = store
        self.key = SnapshotKey.key(instance: events.instance, stream: stream)
        self.events = events
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

    /// Resets so far by reason (kept in the snapshot, so they survive restarts).
    public func streamResets() -> [String: UInt64] { pipeline.withLock { $0.fold.streamResets } }

    /// Label families whose values overflowed since the last call (for `cardinality_limit_reached` events).
    func newOverflows() -> [String] {
        let counts = pipeline.withLock { $0.fold.overflowCounts }
        return overflowReported.withLock { reported in
            let fresh = counts.filter { $0.value > 0 && !reported.contains($0.key) }.map(\.key).sorted()
            reported.formUnion(fresh)
            return fresh
        }
    }

    /// Loads the snapshot (if any) and folds until cancelled, across deletions and recreations of the stream.
    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            let activity = self.activity
            group.addTask {
                await watchForStalls(
                    clock: ContinuousClock(),
                    interval: .seconds(1),
                    threshold: Self.stallThreshold,
                    activity: { activity.count }
                ) { stalled in
                    self.status.withLock { $0.stalled = stalled }
                }
            }
            defer { group.cancelAll() }
            try await self.consume()
        }
    }

    private func consume() async throws {
        let hadSnapshot = try await retrying("snapshot_load_failed") { try await self.restoreSnapshot() }
        var first = true
        var failures = 0
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                let info = try await waitForStream()
                let reset = await reconcile(with: info)
                try await fold(info, startAtEnd: first && startNew && !hadSnapshot && !reset, afterReset: reset)
                return
            } catch let error as JetStreamError where error == .streamNotFound || error == .streamRecreated {
                // The stream vanished or was replaced while folding: wait for it, check which it is, go on.
            } catch {
                if Task.isCancelled { return }
                // Reported and retried, 1 s after the first failure, up to 32 s apart while it keeps failing at once.
                failures = ContinuousClock.now - started > .seconds(60) ? 1 : min(failures + 1, 6)
                await events.publish("stream_failed", ["stream": stream, "error": "\(error)"])
                try await Task.sleep(for: .seconds(1 << (failures - 1)))
            }
            first = false
        }
    }

    /// Restores the fold from its snapshot; returns whether there was one. A snapshot that does not read is
    /// replaced by an empty fold (recounted from the stream) and reported.
    private func restoreSnapshot() async throws -> Bool {
        let entry: KeyValue.Entry?
        do {
            entry = try await store.get(key)
        } catch let error as JetStreamError where error == .streamNotFound {
            entry = nil  // the bucket is gone, and the snapshot with it: saving creates it again
        }
        guard let entry else { return false }
        do {
            let fold = try MetricsFold(snapshot: entry.value)
            pipeline.withLock { $0.fold = fold }
        } catch {
            pipeline.withLock { $0.fold.continueWithNewStream(identity: "", reason: StreamResetReason.snapshotInvalid.rawValue) }
            await events.publish("snapshot_invalid", ["stream": stream, "reason": "\(error)"])
        }
        return true
    }

    /// The stream's info once it exists; while it does not, `waitingForStream` says so and it is looked for every second.
    private func waitForStream() async throws -> StreamInfo {
        var reported = false
        while true {
            do {
                let info = try await jetStream.streamInfo(stream)
                status.withLock { $0.waitingForStream = false }
                return info
            } catch let error as JetStreamError where error == .streamNotFound {
                status.withLock { $0.waitingForStream = true }
                if !reported {
                    reported = true
                    await events.publish("stream_missing", ["stream": stream])
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Checks that the fold's sequence belongs to this stream; when the stream was recreated or is behind the
    /// fold, goes on at its first message (counts kept), reports it and saves at once. Returns whether it reset.
    private func reconcile(with info: StreamInfo) async -> Bool {
        let (reason, old) = pipeline.withLock { pipeline -> (StreamResetReason?, UInt64) in
            let old = pipeline.fold.lastSequence
            let reason = StreamResetReason.check(
                foldIdentity: pipeline.fold.streamIdentity,
                foldSequence: old,
                streamCreated: info.created,
                streamLastSequence: info.state.lastSeq
            )
            if let reason {
                pipeline.fold.continueWithNewStream(identity: info.created, reason: reason.rawValue)
            } else {
                pipeline.fold.streamIdentity = info.created
            }
            return (reason, old)
        }
        guard let reason else { return false }
        status.withLock { $0.lastSequence = 0 }
        await events.publish(
            "stream_reset",
            ["stream": stream, "reason": reason.rawValue, "old_sequence": String(old), "new_sequence": String(info.state.lastSeq)]
        )
        try? await saveSnapshot()
        return true
    }

    /// Folds from after the fold's last sequence (or the stream's end, or its first message) until cancelled.
    /// After a reset, messages the new stream no longer holds count as missed.
    private func fold(_ info: StreamInfo, startAtEnd: Bool, afterReset: Bool) async throws {
        let resumeAfter = pipeline.withLock { $0.fold.lastSequence }
        var missed: UInt64 = 0
        if resumeAfter > 0 || afterReset, info.state.firstSeq > resumeAfter + 1 {
            missed = info.state.firstSeq - resumeAfter - 1
        }
        let start: OrderedConsumer.Start
        if resumeAfter > 0 {
            start = .sequence(resumeAfter + 1)
        } else if startAtEnd {
            start = .new
        } else {
            start = .all
        }
        status.withLock { status in
            status.lastSequence = resumeAfter
            status.catchUpPoint = startAtEnd ? 0 : info.state.lastSeq
            status.caughtUp = status.catchUpPoint <= resumeAfter
            status.missed += missed
        }
        let catchUpPoint = status.withLock { $0.catchUpPoint }
        let consumer = jetStream.orderedConsumer(stream: stream, start: start, batch: 1000, expires: 30, heartbeat: 5)
            .counting(activity)
            .bound(toStreamCreated: info.created)
        var iterator = consumer.makeAsyncIterator()
        while let message = try await iterator.next() {
            let sequence = message.metadata.streamSequence
            let observed = Date().timeIntervalSince1970
            pipeline.withLock { $0.process(message, observedAt: observed, live: sequence > catchUpPoint) }
            status.withLock { status in
                status.lastSequence = sequence
                status.pending = message.metadata.pending
                if sequence >= status.catchUpPoint || message.metadata.pending == 0 { status.caughtUp = true }
            }
        }
    }

    /// Runs `body` until it succeeds, reporting each failure as `event` and waiting a second between tries.
    private func retrying<Result>(_ event: String, _ body: () async throws -> Result) async throws -> Result {
        while true {
            do {
                return try await body()
            } catch {
                try Task.checkCancellation()
                await events.publish(event, ["stream": stream, "error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Saves the fold and its last sequence as one value.
    func saveSnapshot() async throws {
        let bytes = pipeline.withLock { $0.fold.snapshot() }
        do {
            try await store.put(key, bytes)
        } catch {
            status.withLock { $0.snapshotFailures += 1 }
            throw error
        }
        status.withLock { $0.lastSnapshot = Date().timeIntervalSince1970 }
    }
}
