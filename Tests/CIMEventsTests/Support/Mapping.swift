@testable import CIMEvents

/// Maps one message with a fresh mapper (or `mapper`), taking the payload as text.
func mapEvent(
    _ subject: String,
    headers: [(String, String)] = [],
    payload: String = #"{"x":1}"#,
    rules: [SubjectRule] = [],
    reference: Double? = nil
) -> Event {
    var mapper = EventMapper(rules: rules)
    return mapper.map(subject: subject, headers: headers, payload: Array(payload.utf8), reference: reference)
}

/// Maps a message given as raw bytes through the raw-pointer API.
func mapRaw(_ subject: [UInt8], headerBlock: [UInt8], payload: [UInt8], mapper: inout EventMapper) -> Event {
    subject.withUnsafeBytes { s in
        headerBlock.withUnsafeBytes { h in
            payload.withUnsafeBytes { p in
                mapper.map(subject: s, headers: h, payload: p)
            }
        }
    }
}

/// Whether `label` is a valid label value: `^[a-z0-9_]{1,64}$`.
func isLabel(_ label: String) -> Bool {
    let bytes = Array(label.utf8)
    return (1...64).contains(bytes.count)
        && bytes.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_")
        }
}
