/// The NATS headers the mapper uses, as spans of their (trimmed, non-empty) values in the raw
/// header block. Names compare case-insensitively; when several names carry the same fact, the one
/// listed first in the spec wins (whatever their order on the wire), and for a repeated name the
/// first value wins.
struct HeaderFields {
    var eventID: ByteSpan?
    var correlationID: ByteSpan?
    var causationID: ByteSpan?
    var timestamp: ByteSpan?
    var eventType: ByteSpan?
    var errorType: ByteSpan?

    private var eventIDRank = Int.max
    private var correlationIDRank = Int.max
    private var causationIDRank = Int.max
    private var eventTypeRank = Int.max

    /// Reads `block`, the header block exactly as on the wire: `NATS/1.0[ status]\r\n`, then
    /// `Name: value\r\n` lines, then an empty line. An empty block has no headers.
    init(parsing block: UnsafeRawBufferPointer) {
        guard !block.isEmpty else { return }
        var i = 0
        let n = block.count
        if n >= 5, block.slice(ByteSpan(start: 0, end: 5)).equals("NATS/") {
            i = Self.lineEnd(block, from: 0) + 1
        }
        while i < n {
            let lineEnd = Self.lineEnd(block, from: i)
            var end = lineEnd
            if end > i, block[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            if end == i { break }
            var colon = i
            while colon < end, block[colon] != UInt8(ascii: ":") { colon += 1 }
            if colon < end {
                let name = Self.trimmed(block, ByteSpan(start: i, end: colon))
                let value = Self.trimmed(block, ByteSpan(start: colon + 1, end: end))
                if !value.isEmpty { header(block.slice(name), value: value) }
            }
            i = lineEnd + 1
        }
    }

    private mutating func header(_ name: UnsafeRawBufferPointer, value: ByteSpan) {
        switch name.count {
        case 10: if name.equalsIgnoringCase("x-event-id") { Self.take(value, rank: 2, into: &eventID, &eventIDRank) }
        case 11:
            if name.equalsIgnoringCase("nats-msg-id") {
                Self.take(value, rank: 0, into: &eventID, &eventIDRank)
            } else if name.equalsIgnoringCase("x-timestamp"), timestamp == nil {
                timestamp = value
            }
        case 12:
            if name.equalsIgnoringCase("x-message-id") {
                Self.take(value, rank: 1, into: &eventID, &eventIDRank)
            } else if name.equalsIgnoringCase("x-event-type") {
                Self.take(value, rank: 0, into: &eventType, &eventTypeRank)
            } else if name.equalsIgnoringCase("x-error-type"), errorType == nil {
                errorType = value
            }
        case 14:
            if name.equalsIgnoringCase("correlation-id") {
                Self.take(value, rank: 1, into: &correlationID, &correlationIDRank)
            } else if name.equalsIgnoringCase("x-causation-id") {
                Self.take(value, rank: 0, into: &causationID, &causationIDRank)
            } else if name.equalsIgnoringCase("cim-event-type") {
                Self.take(value, rank: 1, into: &eventType, &eventTypeRank)
            }
        case 16:
            if name.equalsIgnoringCase("x-correlation-id") {
                Self.take(value, rank: 0, into: &correlationID, &correlationIDRank)
            } else if name.equalsIgnoringCase("cim-causation-id") {
                Self.take(value, rank: 1, into: &causationID, &causationIDRank)
            }
        case 18: if name.equalsIgnoringCase("cim-correlation-id") { Self.take(value, rank: 2, into: &correlationID, &correlationIDRank) }
        default: break
        }
    }

    /// Keeps `value` when its name ranks before the one `field` came from.
    private static func take(_ value: ByteSpan, rank: Int, into field: inout ByteSpan?, _ current: inout Int) {
        guard rank < current else { return }
        current = rank
        field = value
    }

    /// The offset of the first `\n` at or after `start`, or the block's length; eight bytes at a time.
    @inline(__always)
    private static func lineEnd(_ block: UnsafeRawBufferPointer, from start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = start
        while i &+ 8 <= block.count {
            let w = block.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ (ones &* 0x0A)
            let found = (w &- ones) & ~w & (ones &* 0x80)
            if found != 0 { return i &+ found.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < block.count, block[i] != UInt8(ascii: "\n") { i += 1 }
        return i
    }

    private static func trimmed(_ block: UnsafeRawBufferPointer, _ span: ByteSpan) -> ByteSpan {
        var s = span
        while s.start < s.end, block[s.start] == 0x20 || block[s.start] == 0x09 { s.start += 1 }
        while s.end > s.start, block[s.end - 1] == 0x20 || block[s.end - 1] == 0x09 { s.end -= 1 }
        return s
    }
}
