/// A strict pull reader over JSON bytes: the one grammar behind ``JSONParser`` (which builds a tree) and the readers
/// that go from a large document straight to compact records (``JetStreamReport/read(_:)``), skipping what they do
/// not use without building it. Skipped values are still checked: any syntax error, a truncated document, nesting
/// deeper than ``JSONParser/maximumDepth`` or trailing bytes is an error; nothing is guessed.
struct JSONReader {
    typealias Failure = JSONParser.Failure

    /// A member name: its bytes in the document when it has no escapes, else decoded.
    struct Key {
        let raw: UnsafeBufferPointer<UInt8>
        let decoded: [UInt8]?

        static func ~= (pattern: StaticString, key: Key) -> Bool {
            let count = pattern.utf8CodeUnitCount
            if let decoded = key.decoded {
                return decoded.count == count && (0..<count).allSatisfy { decoded[$0] == pattern.utf8Start[$0] }
            }
            guard key.raw.count == count else { return false }
            for offset in 0..<count where key.raw[offset] != pattern.utf8Start[offset] { return false }
            return true
        }

        var string: String { decoded.map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: raw, as: UTF8.self) }
    }

    /// A scalar value, or `.other` for an object or array (skipped).
    enum Scalar {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        case other

        var string: String? {
            if case .string(let value) = self { return value }
            return nil
        }

        var bool: Bool? {
            if case .bool(let value) = self { return value }
            return nil
        }

        /// A finite number, as ``JSONValue/number``.
        var number: Double? {
            if case .number(let value) = self, value.isFinite { return value }
            return nil
        }

        /// A whole number from 0 to 2^63 - 1, as ``JSONValue/count``.
        var count: UInt64? {
            guard let value = number, value >= 0, value < 9_223_372_036_854_775_808, value.rounded(.towardZero) == value else { return nil }
            return UInt64(value)
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Reads one whole document with `body`, which must consume exactly one value (at depth 0).
    static func read<T>(_ bytes: some Collection<UInt8>, _ body: (inout JSONReader) throws(Failure) -> T) throws(Failure) -> T {
        func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<T, Failure> {
            var reader = JSONReader(buffer)
            do throws(Failure) {
                reader.skipSpace()
                let value = try body(&reader)
                reader.skipSpace()
                guard reader.index == buffer.count else { throw reader.failure("bytes after the document") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        if let result = bytes.withContiguousStorageIfAvailable(run) { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer(run).get()
    }

    func failure(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    private func checkDepth(_ depth: Int) throws(Failure) {
        guard depth < JSONParser.maximumDepth else { throw failure("nested deeper than \(JSONParser.maximumDepth)") }
        guard index < bytes.count else { throw failure("the document ends early") }
    }

    // MARK: Containers

    /// Where a reader is inside an object or array.
    struct Container {
        let depth: Int
        var first = true
    }

    /// Enters the object that comes next; `nil` (nothing consumed) when the value is not an object.
    mutating func beginObject(depth: Int) throws(Failure) -> Container? {
        try checkDepth(depth)
        guard bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        return Container(depth: depth)
    }

    /// Enters the array that comes next; `nil` (nothing consumed) when the value is not an array.
    mutating func beginArray(depth: Int) throws(Failure) -> Container? {
        try checkDepth(depth)
        guard bytes[index] == UInt8(ascii: "[") else { return nil }
        index += 1
        return Container(depth: depth)
    }

    /// The next member's name (the reader is then at its value, which the caller must read or skip); `nil` after
    /// the object's last member.
    mutating func nextMember(_ container: inout Container) throws(Failure) -> Key? {
        skipSpace()
        guard index < bytes.count else { throw failure("the document ends early") }
        if container.first {
            container.first = false
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return nil
            }
        } else {
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return nil
            }
            guard bytes[index] == UInt8(ascii: ",") else { throw failure("expected ',' or '}'") }
            index += 1
            skipSpace()
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
        let key = try rawString()
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
        index += 1
        skipSpace()
        return key
    }

    /// Whether another element follows (the reader is then at it, which the caller must read or skip).
    mutating func nextElement(_ container: inout Container) throws(Failure) -> Bool {
        skipSpace()
        guard index < bytes.count else { throw failure("the document ends early") }
        if container.first {
            container.first = false
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return false
            }
        } else {
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return false
            }
            guard bytes[index] == UInt8(ascii: ",") else { throw failure("expected ',' or ']'") }
            index += 1
            skipSpace()
        }
        return true
    }

    /// Each element of the array that comes next, read by `body` (at `depth + 1`); a value that is not an array is
    /// skipped and reads as no elements.
    static func elements(_ reader: inout JSONReader, depth: Int, _ body: (inout JSONReader) throws(Failure) -> Void) throws(Failure) {
        guard var array = try reader.beginArray(depth: depth) else { return try reader.skip(depth: depth) }
        while try reader.nextElement(&array) { try body(&reader) }
    }

    /// Each member of the object that comes next, read or skipped by `body` (values at `depth + 1`); returns `false`
    /// (the value skipped) when it is not an object.
    @discardableResult
    static func members(_ reader: inout JSONReader, depth: Int, _ body: (Key, inout JSONReader) throws(Failure) -> Void) throws(Failure) -> Bool {
        guard var object = try reader.beginObject(depth: depth) else {
            try reader.skip(depth: depth)
            return false
        }
        while let key = try reader.nextMember(&object) { try body(key, &reader) }
        return true
    }

    // MARK: Values

    /// Reads a scalar; an object or array is skipped and reads as `.other`.
    mutating func scalar(depth: Int) throws(Failure) -> Scalar {
        try checkDepth(depth)
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skip(depth: depth)
            return .other
        case UInt8(ascii: "\""): return .string(try rawString().string)
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("unexpected byte \(bytes[index])")
        }
    }

    /// Checks and passes over the value that comes next, building nothing.
    mutating func skip(depth: Int) throws(Failure) {
        try checkDepth(depth)
        switch bytes[index] {
        case UInt8(ascii: "{"):
            var object = Container(depth: depth)
            index += 1
            while try nextMember(&object) != nil { try skip(depth: depth + 1) }
        case UInt8(ascii: "["):
            var array = Container(depth: depth)
            index += 1
            while try nextElement(&array) { try skip(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try rawString()
        default: _ = try scalar(depth: depth)
        }
    }

    /// Reads the value that comes next as a tree.
    mutating func value(depth: Int) throws(Failure) -> JSONValue {
        try checkDepth(depth)
        switch bytes[index] {
        case UInt8(ascii: "{"):
            var object = Container(depth: depth)
            index += 1
            var members: [(key: String, value: JSONValue)] = []
            while let key = try nextMember(&object) { members.append((key.string, try value(depth: depth + 1))) }
            return .object(members)
        case UInt8(ascii: "["):
            var array = Container(depth: depth)
            index += 1
            var elements: [JSONValue] = []
            while try nextElement(&array) { elements.append(try value(depth: depth + 1)) }
            return .array(elements)
        default:
            switch try scalar(depth: depth) {
            case .string(let text): return .string(text)
            case .number(let number): return .number(number)
            case .bool(let flag): return .bool(flag)
            case .null, .other: return .null
            }
        }
    }

    // MARK: Primitives

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("the document ends early") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw failure("expected \(word)") }
        index += count
    }

    /// Reads a string (the reader at its opening quote).
    private mutating func rawString() throws(Failure) -> Key {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                return Key(raw: raw, decoded: nil)
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw failure("control character in a string") }
            index += 1
        }
        var scalars = Array(UnsafeBufferPointer(rebasing: bytes[start..<min(index, bytes.count)]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return Key(raw: UnsafeBufferPointer(rebasing: bytes[start..<start]), decoded: scalars)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw failure("the document ends early") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("invalid surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw failure("invalid escape")
                }
            default:
                guard byte >= 0x20 else { throw failure("control character in a string") }
                scalars.append(byte)
            }
        }
        throw failure("the document ends inside a string")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("the document ends early") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            code = code << 4 | UInt32(digit)
            index += 1
        }
        return code
    }

    private mutating func number() throws(Failure) -> Double {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        var integer: UInt64 = 0
        var digits = 0
        var exact = true
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, overflowA) = integer.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            if overflowA || overflowB { exact = false } else { integer = sum }
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw failure("a number without digits") }
        if digits > 1, bytes[index - digits] == UInt8(ascii: "0") { throw failure("a number with a leading zero") }
        var simple = exact && digits <= 15
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            simple = false
            index += 1
            let fraction = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            guard index > fraction else { throw failure("a number without fraction digits") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            simple = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponent = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            guard index > exponent else { throw failure("a number without exponent digits") }
        }
        let negative = bytes[start] == UInt8(ascii: "-")
        if simple { return negative ? -Double(integer) : Double(integer) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw failure("a number that cannot be read") }
        return value
    }
}
