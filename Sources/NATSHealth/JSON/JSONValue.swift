/// A parsed JSON document, kept in the order it was written, for the server's monitoring JSON.
///
/// Numbers are `Double`s: a value too large for a `Double` is `+Inf`/`-Inf`, which the reports reject, so a huge
/// number is never read as something else.
public enum JSONValue: Sendable, Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let l), .object(let r)): return l.count == r.count && zip(l, r).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let l), .array(let r)): return l == r
        case (.string(let l), .string(let r)): return l == r
        case (.number(let l), .number(let r)): return l == r
        case (.bool(let l), .bool(let r)): return l == r
        case (.null, .null): return true
        default: return false
        }
    }

    /// The member `key` of an object (the first one when repeated); `nil` for other values.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The value at a path of keys.
    public subscript(path: String...) -> JSONValue? {
        var value: JSONValue? = self
        for key in path { value = value?[key] }
        return value
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// A finite number; `nil` for anything else (so an absent or mistyped field is never read as 0).
    public var number: Double? {
        if case .number(let value) = self, value.isFinite { return value }
        return nil
    }

    /// A whole number from 0 to 2^63 - 1; `nil` for negatives, fractions, huge values and other types.
    public var count: UInt64? {
        guard let value = number, value >= 0, value < 9_223_372_036_854_775_808, value.rounded(.towardZero) == value else { return nil }
        return UInt64(value)
    }
}
