/// Whether bytes are one valid JSON document (RFC 8259, UTF-8), checked with the mapper's one-pass scanner:
/// no tree, no allocation. For tools that copy payloads into JSON output (`replay`).
public enum JSONValidation {
    /// `true` when `bytes` hold exactly one JSON value (any type), with optional surrounding whitespace.
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty, bytes.count <= JSONString.maximumOffset else { return false }
        var fields = PayloadFields()
        switch PayloadScanner.scan(bytes, into: &fields) {
        case .object, .notObject: return true
        case .invalid: return false
        }
    }
}
