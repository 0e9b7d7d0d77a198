/// Decodes the contents of a JSON string that the scanner has already validated (escapes are
/// well-formed, surrogates paired, UTF-8 valid).
enum JSONStringDecoder {
    static func decode(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let c = raw[i]
            guard c == UInt8(ascii: "\\"), i + 1 < raw.count else {
                out.append(c)
                i += 1
                continue
            }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(hexQuad(raw, at: i) ?? 0xFFFD)
                i += 4
                if scalar & 0xFC00 == 0xD800, i + 6 <= raw.count, let low = hexQuad(raw, at: i + 2) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    i += 6
                }
                appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &out)
            default: out.append(e)  // \" \\ \/
            }
        }
        return out
    }

    /// The value of four hex digits at `offset`, or `nil` when they are not four hex digits.
    static func hexQuad(_ raw: UnsafeRawBufferPointer, at offset: Int) -> UInt16? {
        guard offset >= 0, offset + 4 <= raw.count else { return nil }
        var value: UInt16 = 0
        for k in 0..<4 {
            guard let digit = hexValue(raw[offset + k]) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    private static func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        if let encoded = UTF8.encode(scalar) {
            out.append(contentsOf: encoded)
        }
    }
}
