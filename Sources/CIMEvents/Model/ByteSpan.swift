/// A half-open range of byte offsets into one of the buffers a message arrives in (subject, header
/// block or payload). Spans let the mapper point at values without copying them.
struct ByteSpan: Equatable, Sendable {
    var start: Int
    var end: Int

    var count: Int { end - start }
    var isEmpty: Bool { start >= end }
}

extension UnsafeRawBufferPointer {
    /// The bytes of `span`, without copying.
    @inline(__always)
    func slice(_ span: ByteSpan) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: self[span.start..<span.end])
    }

    /// Whether the bytes equal the ASCII `literal` exactly (eight bytes at a time).
    @inline(__always)
    func equals(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard count == n, let base = baseAddress else { return count == n }
        let l = UnsafeRawPointer(literal.utf8Start)
        var i = 0
        while i &+ 8 <= n {
            guard base.loadUnaligned(fromByteOffset: i, as: UInt64.self) == l.loadUnaligned(fromByteOffset: i, as: UInt64.self) else {
                return false
            }
            i &+= 8
        }
        while i < n {
            guard base.load(fromByteOffset: i, as: UInt8.self) == l.load(fromByteOffset: i, as: UInt8.self) else { return false }
            i &+= 1
        }
        return true
    }

    /// Whether the bytes equal the lowercase ASCII `literal`, ignoring ASCII case.
    @inline(__always)
    func equalsIgnoringCase(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard count == n else { return false }
        let l = literal.utf8Start
        for i in 0..<n {
            var c = self[i]
            if c &- 0x41 < 26 { c |= 0x20 }
            if c != l[i] { return false }
        }
        return true
    }
}

extension String {
    /// A string made of the bytes, repairing invalid UTF-8 (header values are not validated).
    init(bytes: UnsafeRawBufferPointer) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}
