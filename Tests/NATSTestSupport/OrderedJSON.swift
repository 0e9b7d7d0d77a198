import CIMEvents

/// A JSON value whose object keys keep their order, written compactly the way Go's `encoding/json` writes structs.
///
/// JWT claims are written with it so that the bytes hashed into `jti` are the bytes the Go library would hash.
package indirect enum OrderedJSON: Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    /// Compact JSON text: no spaces, keys in the given order, strings escaped as Go escapes them.
    package var text: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .string(let value):
            Self.writeString(value, to: &output)
        case .int(let value):
            output += String(value)
        case .bool(let value):
            output += value ? "true" : "false"
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                value.write(to: &output)
            }
            output += "}"
        }
    }

    /// Escapes as Go does: `"`, `\` and control characters, and `<`, `>`, `&`, U+2028 and U+2029.
    private static func writeString(_ value: String, to output: inout String) {
        output += JSONStringEscaper.quoted(value, style: .goCompatible)
    }
}
