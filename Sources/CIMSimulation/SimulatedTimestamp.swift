/// An event time in the forms CIM producers write it: RFC 3339 (`Z` or `+00:00`, any precision), unix
/// seconds, unix milliseconds, and serde's `SystemTime` object.
public struct SimulatedTimestamp: Sendable, Equatable {
    /// Unix seconds.
    public var seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// Unix milliseconds (what a UUIDv7 embeds).
    public var milliseconds: UInt64 { UInt64(max(0, seconds * 1000).rounded(.down)) }

    /// RFC 3339 in UTC with `fractionDigits` (0…9) digits after the second: `2025-07-05T18:51:57.250Z`.
    public func rfc3339(fractionDigits: Int = 3, offset: Bool = false) -> String {
        let whole = Int64(seconds.rounded(.down))
        let nanos = Int64(((seconds - Double(whole)) * 1e9).rounded(.down))
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let secondOfDay = whole - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        text += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2)
        let digits = min(9, max(0, fractionDigits))
        if digits > 0 {
            var fraction = nanos
            for _ in digits..<9 { fraction /= 10 }
            text += "." + pad(fraction, digits)
        }
        return text + (offset ? "+00:00" : "Z")
    }

    /// Unix seconds as a decimal string with `decimals` digits (the workflow publisher's `X-Timestamp`).
    public func unixString(decimals: Int = 3) -> String {
        SimulatedJSON.format(seconds, decimals: decimals)
    }

    /// `{"secs_since_epoch": s, "nanos_since_epoch": ns}`, serde's form of `SystemTime`.
    public var systemTime: SimulatedJSON {
        let whole = Int64(seconds.rounded(.down))
        let nanos = Int64(((seconds - Double(whole)) * 1e9).rounded(.down))
        return ["secs_since_epoch": .int(whole), "nanos_since_epoch": .int(nanos)]
    }

    private func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Year, month, day of a count of days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
