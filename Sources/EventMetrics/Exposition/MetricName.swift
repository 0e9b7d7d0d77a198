/// Syntax rules for metric names, label names and units.
enum MetricName {
    /// Suffixes that a family name may not end with, because they name the samples of other types.
    static let reservedSuffixes = ["_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"]

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidMetricName(_ name: String) -> Bool {
        isValid(name, allowColon: true)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValidLabelName(_ name: String) -> Bool {
        isValid(name, allowColon: false)
    }

    /// `[a-z0-9_]+`, not starting or ending with `_`.
    static func isValidUnit(_ unit: String) -> Bool {
        guard let first = unit.utf8.first, let last = unit.utf8.last, first != UInt8(ascii: "_"), last != UInt8(ascii: "_") else {
            return false
        }
        return unit.utf8.allSatisfy { isLowerLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isValid(_ name: String, allowColon: Bool) -> Bool {
        var first = true
        for byte in name.utf8 {
            let ok = isLetter(byte) || byte == UInt8(ascii: "_") || (allowColon && byte == UInt8(ascii: ":")) || (!first && isDigit(byte))
            guard ok else { return false }
            first = false
        }
        return !first
    }

    private static func isLetter(_ byte: UInt8) -> Bool { isLowerLetter(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) }

    private static func isLowerLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
