/// Whether bytes are one valid JSON document (RFC 8259, UTF-8): one pass with `JSONScanner`'s lexer and an
/// explicit container stack, no tree, no allocation. For tools that copy payloads into JSON output (`replay`).
///
/// It accepts exactly what the mapper's `PayloadScanner` accepts (same lexer, same depth bound), without the
/// mapper's field tracking.
public enum JSONValidation {
    /// What one pass over a document found.
    public enum Validity: Sendable, Equatable {
        case invalid
        /// Valid, all on one line.
        case valid
        /// Valid, with a line feed or carriage return (in valid JSON only ever whitespace between tokens).
        case validWithLineBreaks
    }

    /// `true` when `bytes` hold exactly one JSON value (any type), with optional surrounding whitespace.
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        validate(bytes) != .invalid
    }

    /// Validates `bytes` and says whether its whitespace holds line breaks, in the same pass.
    public static func validate(_ bytes: UnsafeRawBufferPointer) -> Validity {
        guard !bytes.isEmpty, bytes.count <= JSONString.maximumOffset else { return .invalid }
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: JSONScanner.maximumDepth) { stack in
            var walk = Walk(bytes: bytes, isArray: stack.baseAddress!)
            guard walk.run() else { return .invalid }
            return walk.lineBreaks ? .validWithLineBreaks : .valid
        }
    }

    /// The walk over one document; `isArray` is the container stack (`true` for an array, `false` for an object).
    private struct Walk {
        let bytes: UnsafeRawBufferPointer
        let isArray: UnsafeMutablePointer<Bool>
        var lineBreaks = false

        /// The offset of the first non-whitespace byte at or after `start`, noting line breaks on the way.
        @inline(__always)
        mutating func skipWhitespace(_ start: Int) -> Int {
            var i = start
            while i < bytes.count {
                let c = bytes[i]
                guard c <= 0x20 else { return i }
                if c == 0x0A || c == 0x0D {
                    lineBreaks = true
                } else if c != 0x20 && c != 0x09 {
                    return i
                }
                i += 1
            }
            return i
        }

        /// Reads `"key" :` at `i`, leaving `i` at the value.
        @inline(__always)
        mutating func readKey(_ i: inout Int) -> Bool {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let key = JSONScanner.string(in: bytes, quote: i) else { return false }
            i = skipWhitespace(key.span.end + 1)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
            i = skipWhitespace(i + 1)
            return true
        }

        mutating func run() -> Bool {
            let end = bytes.count
            var i = skipWhitespace(0)
            var depth = 0
            value: while true {
                guard i < end else { return false }
                switch bytes[i] {
                case UInt8(ascii: "{"):
                    guard depth < JSONScanner.maximumDepth else { return false }
                    isArray[depth] = false
                    depth += 1
                    i = skipWhitespace(i + 1)
                    if i < end, bytes[i] == UInt8(ascii: "}") {
                        i += 1
                        depth -= 1
                    } else {
                        guard readKey(&i) else { return false }
                        continue value
                    }
                case UInt8(ascii: "["):
                    guard depth < JSONScanner.maximumDepth else { return false }
                    isArray[depth] = true
                    depth += 1
                    i = skipWhitespace(i + 1)
                    if i < end, bytes[i] == UInt8(ascii: "]") {
                        i += 1
                        depth -= 1
                    } else {
                        continue value
                    }
                case UInt8(ascii: "\""):
                    guard let string = JSONScanner.string(in: bytes, quote: i) else { return false }
                    i = string.span.end + 1
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard let number = JSONScanner.number(in: bytes, at: i) else { return false }
                    i = number.end
                case UInt8(ascii: "t"):
                    guard JSONScanner.literal(bytes, at: i, "true") else { return false }
                    i += 4
                case UInt8(ascii: "f"):
                    guard JSONScanner.literal(bytes, at: i, "false") else { return false }
                    i += 5
                case UInt8(ascii: "n"):
                    guard JSONScanner.literal(bytes, at: i, "null") else { return false }
                    i += 4
                default:
                    return false
                }
                // After a value: close containers until a `,` starts the next member or element.
                while true {
                    i = skipWhitespace(i)
                    guard depth > 0 else { return i == end }
                    guard i < end else { return false }
                    let inArray = isArray[depth - 1]
                    let c = bytes[i]
                    i += 1
                    if c == UInt8(ascii: ",") {
                        i = skipWhitespace(i)
                        if !inArray {
                            guard readKey(&i) else { return false }
                        }
                        continue value
                    } else if c == (inArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
                        depth -= 1
                    } else {
                        return false
                    }
                }
            }
        }
    }
}
