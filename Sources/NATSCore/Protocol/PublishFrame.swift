import NIOCore

/// The bytes of a `PUB subject [reply] size\r\npayload\r\n` frame, or with headers of an
/// `HPUB subject [reply] headerSize totalSize\r\nheaders payload\r\n` frame, written through a raw pointer.
///
/// Publishing encodes one frame per message; this is its whole cost, so it is one length computation and one copy
/// per part, into memory the caller has reserved (a `ByteBuffer`, or the client's outbound buffer).
public enum PublishFrame {
    /// The length in bytes of an `HPUB` frame whose header block (`NATSHeaders.encodedLength`) is `headerBytes` long.
    public static func length(subject: String, replyTo: String?, headerBytes: Int, payloadBytes: Int) -> Int {
        let reply = replyTo.map { $0.utf8.count + 1 } ?? 0
        return 5 + subject.utf8.count + reply + 1 + decimalDigits(headerBytes) + 1 + decimalDigits(headerBytes + payloadBytes) + 2
            + headerBytes + payloadBytes + 2
    }

    /// Writes an `HPUB` frame at `base`, which has room for `length(…headerBytes…)` bytes; `headerBytes` is
    /// `headers.encodedLength`, computed once by the caller for both. Returns the bytes written.
    public static func write(
        to base: UnsafeMutableRawPointer,
        subject: String,
        replyTo: String?,
        headers: NATSHeaders,
        headerBytes: Int,
        payload: ByteBuffer
    ) -> Int {
        var cursor = copy("HPUB ", to: base)
        cursor += copy(subject, to: base + cursor)
        if let replyTo {
            base.storeBytes(of: UInt8(ascii: " "), toByteOffset: cursor, as: UInt8.self)
            cursor += 1 + copy(replyTo, to: base + cursor + 1)
        }
        base.storeBytes(of: UInt8(ascii: " "), toByteOffset: cursor, as: UInt8.self)
        cursor += 1 + writeDecimal(headerBytes, to: base + cursor + 1)
        base.storeBytes(of: UInt8(ascii: " "), toByteOffset: cursor, as: UInt8.self)
        cursor += 1 + writeDecimal(headerBytes + payload.readableBytes, to: base + cursor + 1)
        base.storeBytes(of: UInt16(0x0A0D).littleEndian, toByteOffset: cursor, as: UInt16.self)  // "\r\n"
        cursor += 2
        cursor += headers.write(to: base + cursor)
        let size = payload.readableBytes
        if size > 0 {
            payload.withUnsafeReadableBytes { bytes in copyBytes(to: base + cursor, from: bytes.baseAddress!, count: size) }
        }
        cursor += size
        base.storeBytes(of: UInt16(0x0A0D).littleEndian, toByteOffset: cursor, as: UInt16.self)
        return cursor + 2
    }

    /// The frame's length in bytes.
    @inlinable
    public static func length(subject: String, replyTo: String?, payloadBytes: Int) -> Int {
        let reply = replyTo.map { $0.utf8.count + 1 } ?? 0
        return 4 + subject.utf8.count + reply + 1 + decimalDigits(payloadBytes) + 2 + payloadBytes + 2
    }

    /// Writes the frame at `base`, which has room for `length(…)` bytes; returns the bytes written.
    public static func write(to base: UnsafeMutableRawPointer, subject: String, replyTo: String?, payload: ByteBuffer) -> Int {
        base.storeBytes(of: UInt32(0x2042_5550).littleEndian, as: UInt32.self)  // "PUB "
        var cursor = 4 + copy(subject, to: base + 4)
        if let replyTo {
            base.storeBytes(of: UInt8(ascii: " "), toByteOffset: cursor, as: UInt8.self)
            cursor += 1 + copy(replyTo, to: base + cursor + 1)
        }
        base.storeBytes(of: UInt8(ascii: " "), toByteOffset: cursor, as: UInt8.self)
        let size = payload.readableBytes
        cursor += 1 + writeDecimal(size, to: base + cursor + 1)
        base.storeBytes(of: UInt16(0x0A0D).littleEndian, toByteOffset: cursor, as: UInt16.self)  // "\r\n"
        cursor += 2
        if size > 0 {
            payload.withUnsafeReadableBytes { bytes in copyBytes(to: base + cursor, from: bytes.baseAddress!, count: size) }
        }
        cursor += size
        base.storeBytes(of: UInt16(0x0A0D).littleEndian, toByteOffset: cursor, as: UInt16.self)
        return cursor + 2
    }

    /// Copies a string's UTF-8 bytes (contiguous for every native and small string) to `target`.
    @inline(__always)
    static func copy(_ string: String, to target: UnsafeMutableRawPointer) -> Int {
        if let count = string.utf8.withContiguousStorageIfAvailable({ bytes -> Int in
            if bytes.count > 0 { copyBytes(to: target, from: UnsafeRawPointer(bytes.baseAddress!), count: bytes.count) }
            return bytes.count
        }) {
            return count
        }
        var count = 0
        for byte in string.utf8 {
            target.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
            count += 1
        }
        return count
    }

    /// Copies bytes; up to 32 of them with unaligned word moves instead of a call to `memmove` (subjects and small
    /// payloads are that short, and the call costs more than the copy).
    @inline(__always)
    private static func copyBytes(to target: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int) {
        switch count {
        case 8...16:
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8, as: UInt64.self)
        case 17...32:
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 16, as: UInt64.self), toByteOffset: count - 16, as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8, as: UInt64.self)
        case 0..<8:
            for offset in 0..<count {
                target.storeBytes(of: source.load(fromByteOffset: offset, as: UInt8.self), toByteOffset: offset, as: UInt8.self)
            }
        default:
            target.copyMemory(from: source, byteCount: count)
        }
    }

    /// Writes a non-negative number in decimal at `target`; returns the digits written.
    @inline(__always)
    private static func writeDecimal(_ value: Int, to target: UnsafeMutableRawPointer) -> Int {
        let digits = decimalDigits(value)
        var remaining = value
        var digit = digits
        repeat {
            digit -= 1
            target.storeBytes(of: UInt8(truncatingIfNeeded: 48 &+ remaining % 10), toByteOffset: digit, as: UInt8.self)
            remaining /= 10
        } while remaining > 0
        return digits
    }

    @usableFromInline
    static func decimalDigits(_ value: Int) -> Int {
        var digits = 1
        var remaining = value
        while remaining >= 10 {
            remaining /= 10
            digits += 1
        }
        return digits
    }
}
