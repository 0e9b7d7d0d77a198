import CIMEvents
import NATSCore
import NIOCore

extension EventMapper {
    /// Maps a NATS message without copying its bytes: its subject, header block and payload, as `serve`, `scan` and
    /// `replay` all read them. `reference` is its store time, else the time it was received: event times over a day
    /// after it are out of range (`EventTimeWindow`).
    @inlinable
    public mutating func map(_ message: NATSMessage, reference: Double?) -> Event {
        var subject = message.subject
        return subject.withUTF8 { subjectBytes in
            message.payload.withUnsafeReadableBytes { payload in
                if let headers = message.headerBlock {
                    return headers.withUnsafeReadableBytes { headerBytes in
                        map(subject: UnsafeRawBufferPointer(subjectBytes), headers: headerBytes, payload: payload, reference: reference)
                    }
                }
                return map(
                    subject: UnsafeRawBufferPointer(subjectBytes),
                    headers: UnsafeRawBufferPointer(start: nil, count: 0),
                    payload: payload,
                    reference: reference
                )
            }
        }
    }
}
