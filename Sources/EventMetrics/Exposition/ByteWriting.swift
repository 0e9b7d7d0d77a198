/// Appending text and numbers to a byte buffer without building intermediate strings.
extension Array where Element == UInt8 {
    mutating func append(ascii text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    mutating func append(utf8 text: some StringProtocol) {
        append(contentsOf: text.utf8)
    }

    /// A decimal integer, no sign, no exponent.
    mutating func append(decimal value: UInt64) {
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor &*= 10 }
        var rest = value
        while divisor > 0 {
            append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// A `Double` in the Prometheus/OpenMetrics form: `NaN`, `+Inf`, `-Inf`, otherwise the shortest
    /// decimal that reads back to the same value (`0.25`, `1.0`, `1e-07`, `1.5e+300`).
    mutating func append(double value: Double) {
        if value.isNaN {
            append(ascii: "NaN")
        } else if value.isInfinite {
            append(ascii: value < 0 ? "-Inf" : "+Inf")
        } else {
            // The standard library prints the shortest round-trip digits (no Foundation, no locale).
            append(utf8: value.description)
        }
    }
}
