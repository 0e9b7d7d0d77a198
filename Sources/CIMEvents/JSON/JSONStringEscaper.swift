/// Writes JSON string literals: the one escaper of the project, for the exposition's JSON, the
/// simulator's payloads and the test support's JWT claims.
///
/// `"` and `\` are escaped, line feed, carriage return and tab as `\n`, `\r` and `\t`, the other
/// control characters (U+0000–U+001F) as `\u00XX` with lowercase hex; everything else is copied as
/// UTF-8. Bytes that are not valid UTF-8 are written as U+FFFD, so the output is always valid JSON.
///
/// ```swift
/// var out: [UInt8] = []
/// JSONStringEscaper.append("say \"hi\"\n", to: &out)   // "say \"hi\"\n", quotes included
/// ```
public enum JSONStringEscaper {
    /// How far to escape beyond what JSON requires.
    public enum Style: Sendable {
        /// Only what JSON requires.
        case minimal
        /// As Go's `encoding/json` does by default: also `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`.
        case goCompatible
    }

    /// Appends `text` as a quoted JSON string to `output`.
    public static func append(_ text: String, to output: inout [UInt8], style: Style = .minimal) {
        var text = text
        text.withUTF8 { appendValid(UnsafeRawBufferPointer($0), to: &output, style: style) }
    }

    /// Appends `bytes`, read as UTF-8, as a quoted JSON string to `output`; what is not valid UTF-8
    /// is written as U+FFFD (one for each maximal invalid subpart, as `String(decoding:as:)` repairs).
    public static func append(utf8 bytes: UnsafeRawBufferPointer, to output: inout [UInt8], style: Style = .minimal) {
        guard UTF8Validation.isValid(bytes) else {
            append(String(decoding: bytes, as: UTF8.self), to: &output, style: style)
            return
        }
        appendValid(bytes, to: &output, style: style)
    }

    /// `text` as a quoted JSON string.
    public static func quoted(_ text: String, style: Style = .minimal) -> String {
        var output: [UInt8] = []
        append(text, to: &output, style: style)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `bytes`, valid UTF-8, as a quoted JSON string: runs that need no escape are copied whole.
    private static func appendValid(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8], style: Style) {
        output.reserveCapacity(output.count + bytes.count + 2)
        output.append(UInt8(ascii: "\""))
        var run = 0  // the first byte not written yet
        var index = 0
        let base = bytes.baseAddress
        while index < bytes.count {
            // Eight bytes at a time while none is a quote, a backslash, a control character or non-ASCII.
            if style == .minimal, let base, index &+ 8 <= bytes.count,
                JSONScanner.specialBytes(base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) == 0
            {
                index &+= 8
                continue
            }
            let byte = bytes[index]
            if byte >= 0x80 {
                // Valid UTF-8 is copied as it is; only Go's style escapes U+2028 and U+2029 (E2 80 A8 and E2 80 A9).
                guard style == .goCompatible else {
                    index += 1
                    continue
                }
                let length = UTF8Validation.sequenceLength(bytes, at: index) ?? 1
                if length == 3, byte == 0xE2, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0xA8 {
                    output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[run..<index]))
                    appendUnicodeEscape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029, to: &output)
                    run = index + length
                }
                index += length
                continue
            }
            let plain =
                byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
                && (style == .minimal || (byte != UInt8(ascii: "<") && byte != UInt8(ascii: ">") && byte != UInt8(ascii: "&")))
            index += 1
            if plain { continue }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[run..<index - 1]))
            run = index
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case UInt8(ascii: "\n"):
                output.append(UInt8(ascii: "\\"))
                output.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"):
                output.append(UInt8(ascii: "\\"))
                output.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"):
                output.append(UInt8(ascii: "\\"))
                output.append(UInt8(ascii: "t"))
            default:
                appendUnicodeEscape(UInt16(byte), to: &output)
            }
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[run..<bytes.count]))
        output.append(UInt8(ascii: "\""))
    }

    /// `\uXXXX` with lowercase hex digits.
    private static func appendUnicodeEscape(_ value: UInt16, to output: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        output.append(UInt8(ascii: "\\"))
        output.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(digits.utf8Start[Int(value >> UInt16(shift) & 0xF)])
        }
    }
}
