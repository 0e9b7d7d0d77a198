/// Converts a JSON number (already validated by `JSONScanner.number(in:at:)`) to a `Double`.
///
/// Accurate to well under a microsecond for unix times: the first 19 significant digits are kept
/// exactly and scaled by an exact power of ten.
enum JSONNumber {
    static func double(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var i = 0
        let end = bytes.count
        var negative = false
        if i < end, bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        var sawDot = false
        while i < end {
            let c = bytes[i]
            if c &- UInt8(ascii: "0") < 10 {
                sawDigit = true
                if digits < 19 {
                    if mantissa != 0 || c != UInt8(ascii: "0") { digits += 1 }
                    mantissa = mantissa &* 10 &+ UInt64(c &- UInt8(ascii: "0"))
                    if sawDot { exponent -= 1 }
                } else if !sawDot {
                    exponent += 1
                }
            } else if c == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return nil }
        if i < end {
            guard bytes[i] | 0x20 == UInt8(ascii: "e") else { return nil }
            i += 1
            var exponentNegative = false
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < end else { return nil }
            var e = 0
            while i < end {
                let d = bytes[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                e = min(e * 10 + Int(d), 100_000)
                i += 1
            }
            exponent += exponentNegative ? -e : e
        }
        let value = scale(Double(mantissa), exponent)
        return negative ? -value : value
    }

    private static let exactPowers: [Double] = (0...22).map { (0..<$0).reduce(1.0) { acc, _ in acc * 10 } }

    private static func scale(_ value: Double, _ exponent: Int) -> Double {
        guard value != 0 else { return 0 }
        var v = value
        var e = exponent
        while e > 22 {
            v *= 1e22
            e -= 22
            if v.isInfinite { return v }
        }
        while e < -22 {
            v /= 1e22
            e += 22
            if v == 0 { return 0 }
        }
        return e >= 0 ? v * exactPowers[e] : v / exactPowers[-e]
    }
}
