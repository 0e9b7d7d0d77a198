import CIMEvents
import EventMetrics
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

    /// Maps and folds one message.
    @inlinable
    public mutating func process(_ message: JetStreamMessage) {
        let event = map(message.message, reference: message.metadata.timestamp)
        fold.fold(event, storedAt: message.metadata.timestamp, sequence: message.metadata.streamSequence)
    }

    /// Maps a NATS message without copying its bytes. `reference` is its store time, else the time it was
    /// received: event times over a day after it are out of range (`EventTimeWindow`).
    public mutating func map(_ message: NATSMessage, reference: Double?) -> Event {
        var subject = message.subject
        return subject.withUTF8 { subjectBytes in
            message.payload.withUnsafeReadableBytes { payload in
                if let headers = message.headerBlock {
                    return headers.withUnsafeReadableBytes { headerBytes in
                        mapper.map(subject: UnsafeRawBufferPointer(subjectBytes), headers: headerBytes, payload: payload, reference: reference)
                    }
                }
                return mapper.map(
                    subject: UnsafeRawBufferPointer(subjectBytes),
                    headers: UnsafeRawBufferPointer(start: nil, count: 0),
                    payload: payload,
                    reference: reference
                )
            }
        }
    }
}
