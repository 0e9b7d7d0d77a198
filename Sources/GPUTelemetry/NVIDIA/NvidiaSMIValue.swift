/// One `nvidia-smi --format=csv` cell, read as the research describes: absent tokens are absent, never 0.
enum NvidiaSMIValue {
    /// The spellings of "no value" seen in real captures (compared case-insensitively).
    static let absentTokens: Set<String> = [
        "", "n/a", "[n/a]", "[not supported]", "[insufficient permissions]", "[unknown error]",
        "[requested functionality has been deprecated]", "[function not found]", "[gpu requires reset]", "[gpu is lost]",
    ]

    static func isAbsent(_ cell: Substring) -> Bool {
        absentTokens.contains(cell.lowercased())
    }

    /// The leading number of a cell such as `627.40 W`, `100 %`, `1980 MHz` or `28`; `nil` when the cell is
    /// absent, or is not one finite number optionally followed by one unit word.
    static func number(_ cell: Substring) -> Double? {
        guard !isAbsent(cell) else { return nil }
        let parts = cell.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 1 || parts.count == 2, let first = parts.first,
            first.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }),
            let value = Double(first), value.isFinite
        else { return nil }
        return value
    }

    /// A non-negative whole count (`0`, `12`), `nil` otherwise.
    static func count(_ cell: Substring) -> UInt64? {
        guard !isAbsent(cell), cell.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt64(cell)
    }

    /// A hexadecimal mask such as `0x0000000000000001`.
    static func hexMask(_ cell: Substring) -> UInt64? {
        guard cell.hasPrefix("0x") || cell.hasPrefix("0X") else { return nil }
        return UInt64(cell.dropFirst(2), radix: 16)
    }

    /// `Enabled`/`Yes`/`Active` → true, `Disabled`/`No`/`Not Active` → false.
    static func flag(_ cell: Substring) -> Bool? {
        switch cell.lowercased() {
        case "enabled", "yes", "active": true
        case "disabled", "no", "not active": false
        default: nil
        }
    }

    /// `P0`…`P15` → 0…15.
    static func performanceState(_ cell: Substring) -> Int? {
        guard cell.first == "P", let value = Int(cell.dropFirst()), (0...15).contains(value) else { return nil }
        return value
    }
}
