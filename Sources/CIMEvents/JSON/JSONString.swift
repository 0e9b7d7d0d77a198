/// A JSON string value found by the scanner: the span of its contents between the quotes, and
/// whether it holds escape sequences (then it must be decoded before use). Also used for the text
/// of a number (never escaped).
///
/// Stored in 8 bytes (offsets below 2 GiB, see `maximumOffset`) to keep `PayloadFields` small.
struct JSONString: Equatable, Sendable {
    /// Documents must be shorter than this for their spans to be represented.
    static let maximumOffset = Int(Int32.max)

    private let start: UInt32
    private let bits: UInt32

    init(span: ByteSpan, hasEscapes: Bool) {
        start = UInt32(truncatingIfNeeded: span.start)
        bits = UInt32(truncatingIfNeeded: span.count) & 0x7FFF_FFFF | (hasEscapes ? 0x8000_0000 : 0)
    }

    var span: ByteSpan {
        let s = Int(start)
        return ByteSpan(start: s, end: s + Int(bits & 0x7FFF_FFFF))
    }

    var hasEscapes: Bool { bits & 0x8000_0000 != 0 }

    /// Calls `body` with the decoded bytes of the string. Unescaped strings are passed without
    /// copying; escaped ones are decoded into a temporary array (rare, cold).
    func withBytes<R>(in document: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let raw = document.slice(span)
        guard hasEscapes else { return body(raw) }
        let decoded = JSONStringDecoder.decode(raw)
        return decoded.withUnsafeBytes(body)
    }

    /// The string as a Swift `String`.
    func string(in document: UnsafeRawBufferPointer) -> String {
        withBytes(in: document) { String(bytes: $0) }
    }
}
