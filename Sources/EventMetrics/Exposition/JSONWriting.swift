extension Array where Element == UInt8 {
    /// A JSON number, or `null` for NaN and infinities (which JSON cannot represent).
    mutating func append(jsonNumber value: Double) {
        if value.isFinite { append(double: value) } else { append(ascii: "null") }
    }
}
