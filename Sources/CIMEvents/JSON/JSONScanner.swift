/// A strict RFC 8259 lexer over raw bytes: each function reads one token at a given offset,
/// validates it (string escapes, surrogate pairs, UTF-8, control characters, number grammar) and
/// says where it ends, without building values. Stateless, so that the caller's cursor stays in a
/// register; `PayloadScanner` drives it over a whole document.
enum JSONScanner {
    /// Containers nested deeper than this make a document invalid (no recursion is involved, but a
    /// bound keeps the explicit stack small).
    static let maximumDepth = 512

    /// The offset of the first non-whitespace byte at or after `start` (or the end).
    @inline(__always)
    static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            guard c <= 0x20, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return i }
            i += 1
        }
        return i
    }

    /// Whether `literal` (`true`, `false` or `null`) is at `i`.
    @inline(__always)
    static func literal(_ bytes: UnsafeRawBufferPointer, at i: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        return i + n <= bytes.count && bytes.slice(ByteSpan(start: i, end: i + n)).equals(literal)
    }

    /// The string whose opening quote is at `quote`; `nil` when it is not valid. Its closing quote
    /// is at `span.end`.
    ///
    /// Plain ASCII runs are skipped eight bytes at a time: `specialBytes` flags quotes, backslashes,
    /// control characters and non-ASCII bytes, and its lowest flag is exactly the first such byte.
    @inline(__always)
    static func string(in bytes: UnsafeRawBufferPointer, quote: Int) -> JSONString? {
        let start = quote + 1
        var i = start
        var hasEscapes = false
        let end = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        while true {
            if i &+ 8 <= end {
                let flags = Self.specialBytes(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if flags == 0 {
                    i &+= 8
                    continue
                }
                i &+= flags.trailingZeroBitCount &>> 3
            }
            guard i < end else { return nil }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                return JSONString(span: ByteSpan(start: start, end: i), hasEscapes: hasEscapes)
            } else if c == UInt8(ascii: "\\") {
                guard let n = escapeLength(bytes, at: i) else { return nil }
                hasEscapes = true
                i += n
            } else if c < 0x20 {
                return nil
            } else if c >= 0x80 {
                guard let n = UTF8Validation.sequenceLength(bytes, at: i) else { return nil }
                i += n
            } else {
                i += 1
            }
        }
    }

    /// The high bit of each byte of `w` (little-endian) that is a quote, a backslash, a control
    /// character or non-ASCII. Bits above the lowest may be spurious (borrows); the lowest is exact.
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (w &- ones &* 0x20) & ~w
        return (hasQuote | hasBackslash | hasControl | w) & highs
    }

    /// The length of the escape sequence at `i` (a backslash), or `nil` when it is invalid.
    /// `\uD800`–`\uDBFF` must be followed by a `\uDC00`–`\uDFFF` escape; a lone surrogate is invalid.
    private static func escapeLength(_ bytes: UnsafeRawBufferPointer, at i: Int) -> Int? {
        guard i + 1 < bytes.count else { return nil }
        switch bytes[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return 2
        case UInt8(ascii: "u"):
            guard let unit = JSONStringDecoder.hexQuad(bytes, at: i + 2) else { return nil }
            switch unit {
            case 0xD800...0xDBFF:
                guard i + 7 < bytes.count, bytes[i + 6] == UInt8(ascii: "\\"), bytes[i + 7] == UInt8(ascii: "u"),
                    let low = JSONStringDecoder.hexQuad(bytes, at: i + 8), (0xDC00...0xDFFF).contains(low)
                else { return nil }
                return 12
            case 0xDC00...0xDFFF:
                return nil
            default:
                return 6
            }
        default:
            return nil
        }
    }

    /// The number starting at `start` (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`); `nil` when it is not valid.
    @inline(__always)
    static func number(in bytes: UnsafeRawBufferPointer, at start: Int) -> ByteSpan? {
        var i = start
        let end = bytes.count
        @inline(__always) func isDigit(_ k: Int) -> Bool { k < end && bytes[k] &- UInt8(ascii: "0") < 10 }
        if i < end, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return nil }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return nil }
            while isDigit(i) { i += 1 }
        }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { return nil }
            while isDigit(i) { i += 1 }
        }
        return ByteSpan(start: start, end: i)
    }
}
