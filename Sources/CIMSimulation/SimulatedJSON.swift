import CIMEvents

/// A JSON value the simulator writes: object keys keep their order, so payloads are byte-for-byte
/// reproducible for a seed.
public indirect enum SimulatedJSON: Sendable, Equatable {
    case string(String)
    case int(Int64)
    /// A number written with at most `decimals` digits after the point.
    case double(Double, decimals: Int)
    case bool(Bool)
    case null
    case array([SimulatedJSON])
    case object([Member])

    /// One `"key": value` pair of an object.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: SimulatedJSON

        public init(_ key: String, _ value: SimulatedJSON) {
            self.key = key
            self.value = value
        }
    }

    /// The compact UTF-8 encoding.
    public var bytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(into: &output)
        return output
    }

    /// Appends the compact UTF-8 encoding to `output`.
    public func write(into output: inout [UInt8]) {
        switch self {
        case .string(let text):
            JSONStringEscaper.append(text, to: &output)
        case .int(let value):
            output.append(contentsOf: String(value).utf8)
        case .double(let value, let decimals):
            output.append(contentsOf: Self.format(value, decimals: decimals).utf8)
        case .bool(let value):
            output.append(contentsOf: (value ? "true" : "false").utf8)
        case .null:
            output.append(contentsOf: "null".utf8)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONStringEscaper.append(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// A decimal number without exponent: `12.5`, `3`, `-0.25`.
    static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(Int64(value.rounded())) }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        var fraction = units % Int64(scale)
        var text = (value < 0 && units != 0 ? "-" : "") + String(whole)
        guard fraction != 0 else { return text }
        var digits = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let fractionText = String(fraction)
        text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
        return text
    }
}

extension SimulatedJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension SimulatedJSON: ExpressibleByDictionaryLiteral {
    /// An object literal; the keys keep the literal's order.
    public init(dictionaryLiteral elements: (String, SimulatedJSON)...) {
        self = .object(elements.map { Member($0.0, $0.1) })
    }
}

extension SimulatedJSON {
    /// This object with `member` appended (other values are returned unchanged).
    func appending(_ key: String, _ value: SimulatedJSON) -> SimulatedJSON {
        guard case .object(var members) = self else { return self }
        members.append(Member(key, value))
        return .object(members)
    }
}
