import NATS
import NATSCore

#if canImport(Glibc)
import Glibc
#endif

/// JSON Lines into a descriptor in large writes.
struct LineWriter {
    let descriptor: Int32
    var buffer: [UInt8] = []

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 18)
    }

    mutating func append(_ message: JetStreamMessage, sequence: UInt64, time: Int64) {
        ReplayRecord.append(
            sequence: sequence,
            timeNanoseconds: time,
            subject: message.subject,
            headerBlock: message.message.headerBlock,
            payload: message.payload,
            to: &buffer
        )
    }

    /// Writes when the buffer passed 256 KiB; `false` when the reader went away (a closed pipe).
    mutating func flushIfFull() -> Bool {
        buffer.count >= 1 << 18 ? flush() : true
    }

    /// Writes everything buffered; `false` when the reader went away.
    mutating func flush() -> Bool {
        guard descriptor >= 0, !buffer.isEmpty else { return true }
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}
