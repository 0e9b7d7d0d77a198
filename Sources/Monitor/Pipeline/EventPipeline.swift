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
        let event = map(message.message)
        fold.fold(event, storedAt: message.metadata.timestamp, sequence: message.metadata.streamSequence)
    }

    /// Maps a NATS message without copying its bytes.
    public mutating func map(_ message: NATSMessage) -> Event {
        var subject = message.subject
        return subject.withUTF8 { subjectBytes in
            message.payload.withUnsafeReadableBytes { payload in
                if let headers = message.headerBlock {
                    return headers.withUnsafeReadableBytes { headerBytes in
                        mapper.map(subject: UnsafeRawBufferPointer(subjectBytes), headers: headerBytes, payload: payload)
                    }
                }
                return mapper.map(
                    subject: UnsafeRawBufferPointer(subjectBytes),
                    headers: UnsafeRawBufferPointer(start: nil, count: 0),
                    payload: payload
                )
            }
        }
    }
}
