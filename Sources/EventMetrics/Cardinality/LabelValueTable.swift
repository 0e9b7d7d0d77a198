/// The admitted values of one label name, each with a small integer id in order of first sight.
///
/// Values are admitted until the limit is reached; later new values resolve to the id of
/// ``overflowValue``, which is added on first need and not counted against the limit.
struct LabelValueTable: Sendable {
    /// The label value that absorbs values past a limit.
    static let overflowValue = "__overflow__"

    /// Values by id.
    private(set) var values: [String] = []
    private var ids: [String: Int32] = [:]
    /// The id of ``overflowValue``, or -1 while it has none.
    private(set) var overflowID: Int32 = -1

    /// Admitted values, not counting ``overflowValue``.
    var admittedCount: Int { values.count - (overflowID >= 0 ? 1 : 0) }

    var count: Int { values.count }

    /// The id of `value`, admitting it while fewer than `limit` values are admitted, else the overflow id.
    mutating func resolve(_ value: String, limit: Int) -> (id: Int32, overflowed: Bool) {
        if let id = ids[value] { return (id, false) }
        if admittedCount < limit { return (append(value), false) }
        return (overflow(), true)
    }

    /// The id of ``overflowValue``, adding it when missing.
    mutating func overflow() -> Int32 {
        if overflowID >= 0 { return overflowID }
        return append(Self.overflowValue)
    }

    /// Appends a value without a limit check (restoring a snapshot); `nil` when it is already present.
    @discardableResult
    mutating func appendNew(_ value: String) -> Int32? {
        if ids[value] != nil { return nil }
        return append(value)
    }

    subscript(id: Int32) -> String { values[Int(id)] }

    private mutating func append(_ value: String) -> Int32 {
        let id = Int32(values.count)
        values.append(value)
        ids[value] = id
        if value == Self.overflowValue { overflowID = id }
        return id
    }
}
