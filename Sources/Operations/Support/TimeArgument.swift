import CIMEvents

/// A point in time given on the command line: RFC 3339 (`2026-12-01T10:00:00Z`), or a duration before now
/// (`90s`, `15m`, `2h`, `7d`). Pure: `now` is passed in.
public enum TimeArgument {
    /// Unix seconds, or `nil` when the text is neither form.
    public static func seconds(_ text: String, now: Double) -> Double? {
        if let time = RFC3339.seconds(text) { return time }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400), ("w", 604_800)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value.isFinite, value >= 0, value * factor < 1e10 else { return nil }
            return now - value * factor
        }
        return nil
    }
}
