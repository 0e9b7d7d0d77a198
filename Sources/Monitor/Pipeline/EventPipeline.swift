import CIMEvents
import EventMetrics
import GPUTelemetry
import NATS
import NATSCore
import NIOCore

/// Events to metrics for one stream: map each JetStream message to an `Event` and fold it.
///
/// The same loop serves `scan` (read what the stream holds, then stop) and `serve` (read on, live).
/// The fold remembers the last folded stream sequence, so consumption resumes exactly after it.
public struct EventPipeline: Sendable {
    public var mapper: EventMapper
    public var fold: MetricsFold

    public init(mapper: EventMapper, fold: MetricsFold) {
        self.mapper = mapper
        self.fold = fold
    }

    /// Maps and folds one message: the one path of `scan`, of `serve` on JetStream and of `serve` on core NATS.
    ///
    /// - Parameters:
    ///   - sequence: its stream sequence (core NATS: a count of messages received).
    ///   - storedAt: its JetStream store time; `nil` on core NATS.
    ///   - observedAt: when the monitor received it; with `live`, the lag from its event time is observed too.
    ///   - live: it arrived after the monitor caught up (a message read back from a stream's past has no lag).
    ///
    /// A message on `cim.gpu.` is also folded into the `cim_gpu_*` families (one 8-byte prefix test for the others).
    @inlinable
    public mutating func process(_ message: NATSMessage, sequence: UInt64, storedAt: Double?, observedAt: Double, live: Bool) {
        let event = mapper.map(message, reference: storedAt ?? observedAt)
        fold.fold(event, storedAt: storedAt, sequence: sequence)
        if GPUSubject.isGPUSubject(message.subject) {
            message.payload.withUnsafeReadableBytes { fold.foldGPU(payload: $0, storedAt: storedAt ?? observedAt) }
        }
        if live, let time = event.time { fold.observeLag(observedAt - time, domain: event.domain) }
    }

    /// A JetStream message, through the same path.
    @inlinable
    public mutating func process(_ message: JetStreamMessage, observedAt: Double, live: Bool) {
        process(
            message.message,
            sequence: message.metadata.streamSequence,
            storedAt: message.metadata.timestamp,
            observedAt: observedAt,
            live: live
        )
    }
}
