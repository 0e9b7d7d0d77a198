/// The time in a version 7 UUID (RFC 9562): its first 48 bits are unix milliseconds.
enum UUIDv7 {
    /// Unix seconds from a textual UUIDv7 (`01989f0e-6b2a-7c3d-9e4f-0a1b2c3d4e5f`, either case), or
    /// `nil` when the text is not a version 7 UUID of the RFC 9562 variant.
    static func seconds(_ s: UnsafeRawBufferPointer) -> Double? {
        guard s.count == 36 else { return nil }
        var millis: UInt64 = 0
        for i in 0..<36 {
            let c = s[i]
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let digit = JSONStringDecoder.hexValue(c) else { return nil }
            if i < 13 { millis = millis << 4 | UInt64(digit) }
            if i == 14, digit != 7 { return nil }
            if i == 19, digit & 0xC != 0x8 { return nil }
        }
        return Double(millis) / 1000
    }
}
