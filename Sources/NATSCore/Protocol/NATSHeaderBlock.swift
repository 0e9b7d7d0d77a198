#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The parse of a header block on its bytes, without making strings: the status line and each field's name and
/// value as byte ranges (trimmed of spaces and tabs). ``NATSHeaders/init(parsing:)`` builds its strings from it, and
/// a reader that only copies headers out (replay's JSON Lines) uses the ranges directly. Pure.
///
/// A block is `NATS/1.0[ code[ description]]\r\n`, then `Name: value\r\n`…, then `\r\n`; lines end at CR LF.
public enum NATSHeaderBlock {
    /// One `Name: value` line, as offsets into the block.
    public struct Field: Sendable, Equatable {
        public var name: Range<Int>
        public var value: Range<Int>
    }

    /// The status line of a block.
    public struct StatusLine: Sendable, Equatable {
        /// `100` for `NATS/1.0 100 Idle Heartbeat`; `nil` for `NATS/1.0`.
        public var code: Int?
        /// The description after the code (`Idle Heartbeat`), trimmed; empty when there is none.
        public var description: Range<Int>
    }

    /// Reads `bytes`, calling `field` for each field in order; returns the status line, or the error that
    /// `NATSHeaders(parsing:)` throws for a malformed block (`field` may have been called for the lines before it).
    public static func scan(_ bytes: UnsafeRawBufferPointer, field: (Field) -> Void) -> Result<StatusLine, NATSError> {
        let count = bytes.count
        guard count >= 2, bytes[count - 2] == 13, bytes[count - 1] == 10 else {
            return .failure(NATSError(.invalidHeader, "header block is not terminated by CRLF"))
        }
        let version: StaticString = "NATS/1.0"
        let versionLength = version.utf8CodeUnitCount
        let firstEnd = lineEnd(bytes, from: 0)
        guard firstEnd >= versionLength, (0..<versionLength).allSatisfy({ bytes[$0] == version.utf8Start[$0] }) else {
            return .failure(NATSError(.invalidHeader, "header block does not start with NATS/1.0"))
        }
        var status = StatusLine(code: nil, description: firstEnd..<firstEnd)
        var index = versionLength
        while index < firstEnd, isBlank(bytes[index]) { index += 1 }
        if index < firstEnd {
            var digits = 0
            var code = 0
            while index + digits < firstEnd, digits < 4, bytes[index + digits] &- 48 < 10 {
                code = code * 10 + Int(bytes[index + digits] - 48)
                digits += 1
            }
            guard digits == 3, code >= 100 else {
                let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<min(firstEnd, 64)]), as: UTF8.self)
                return .failure(NATSError(.invalidHeader, "bad status line \(line.debugDescription)"))
            }
            status = StatusLine(code: code, description: trimmed(bytes, index + 3, firstEnd))
        }
        var start = firstEnd + 2
        while start < count {
            let end = lineEnd(bytes, from: start)
            if end > start {
                var colon = start
                while colon < end, bytes[colon] != 58 { colon += 1 }
                guard colon < end else { return .failure(NATSError(.invalidHeader, "header line without ':'")) }
                let name = trimmed(bytes, start, colon)
                guard !name.isEmpty else { return .failure(NATSError(.invalidHeader, "empty header name")) }
                field(Field(name: name, value: trimmed(bytes, colon + 1, end)))
            }
            start = end + 2
        }
        return .success(status)
    }

    /// The end of the line that starts at `start` (the index of its CR), or the end of `bytes` for the last line.
    @inline(__always)
    private static func lineEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        var index = start
        while index + 1 < bytes.count {
            guard let found = memchr(base + index, 13, bytes.count - 1 - index) else { return bytes.count }
            index = base.distance(to: UnsafeRawPointer(found))
            if bytes[index + 1] == 10 { return index }
            index += 1
        }
        return bytes.count
    }

    @inline(__always)
    private static func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 }

    /// `start..<end` without leading and trailing spaces and tabs.
    @inline(__always)
    private static func trimmed(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int> {
        var start = start
        var end = end
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        return start..<end
    }
}
