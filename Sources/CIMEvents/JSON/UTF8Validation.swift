/// Strict UTF-8 validation (Unicode 15, table 3-7): no overlong forms, no surrogates, nothing above
/// U+10FFFF.
enum UTF8Validation {
    /// The length of the valid multi-byte sequence whose lead byte (≥ 0x80) is at `i`, or `nil` when
    /// the bytes there are not valid UTF-8.
    @inline(__always)
    static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at i: Int) -> Int? {
        let end = bytes.count
        let lead = bytes[i]
        @inline(__always) func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            i + k < end && bytes[i + k] >= low && bytes[i + k] <= high
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : nil
        case 0xE0:
            return continuation(1, 0xA0) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : nil
        case 0xED:
            return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : nil
        case 0xF0:
            return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4:
            return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default:
            return nil
        }
    }

    /// Whether all of `bytes` is valid UTF-8 (ASCII runs are skipped eight bytes at a time).
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < bytes.count {
            if let base = bytes.baseAddress, i &+ 8 <= bytes.count,
                base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                i &+= 8
            } else if bytes[i] < 0x80 {
                i += 1
            } else if let n = sequenceLength(bytes, at: i) {
                i += n
            } else {
                return false
            }
        }
        return true
    }
}
