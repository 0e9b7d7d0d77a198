extension Array where Element == UInt8 {
    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\r`, `\t` or `\u00XX`.
    mutating func append(jsonString text: String) {
        append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append(ascii: "\\\"")
            case UInt8(ascii: "\\"): append(ascii: "\\\\")
            case UInt8(ascii: "\n"): append(ascii: "\\n")
            case UInt8(ascii: "\r"): append(ascii: "\\r")
            case UInt8(ascii: "\t"): append(ascii: "\\t")
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                append(ascii: "\\u00")
                append(hex[Int(byte >> 4)])
                append(hex[Int(byte & 0xF)])
            default: append(byte)
            }
        }
        append(UInt8(ascii: "\""))
    }

    /// A JSON number, or `null` for NaN and infinities (which JSON cannot represent).
    mutating func append(jsonNumber value: Double) {
        if value.isFinite { append(double: value) } else { append(ascii: "null") }
    }
}
