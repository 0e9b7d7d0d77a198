/// RFC 3339 as text: the one formatter of the package (JetStream's nanosecond times, CIM envelopes' milliseconds, the
/// simulated producers' forms), and parsing from a `String`.
extension RFC3339 {
    /// Unix seconds of an RFC 3339 date-time (see ``seconds(_:)-(UnsafeRawBufferPointer)``); `nil` for anything else.
    public static func seconds(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { seconds(UnsafeRawBufferPointer($0)) }
    }

    /// UTC text of a unix time in nanoseconds: `2026-12-01T17:15:24.123456789Z`, with `fractionDigits` (0…9) digits
    /// of the second, cut rather than rounded (a time never moves to the next millisecond), and `+00:00` instead of
    /// `Z` when `offset`.
    public static func format(nanoseconds: Int64, fractionDigits: Int = 9, offset: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(35)
        append(nanoseconds: nanoseconds, fractionDigits: fractionDigits, offset: offset, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// UTC text of a unix time in seconds with all nine fraction digits (to the nanosecond, as far as a double holds
    /// it); a time that is not finite or lies beyond the year 2255 is written as the number.
    public static func format(seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 9e9 else { return String(seconds) }
        let whole = seconds.rounded(.down)
        return format(nanoseconds: Int64(whole) * 1_000_000_000 + Int64(((seconds - whole) * 1e9).rounded()))
    }

    /// Appends the text of ``format(nanoseconds:fractionDigits:offset:)`` to `output`, without an intermediate string.
    public static func append(nanoseconds: Int64, fractionDigits: Int = 9, offset: Bool = false, to output: inout [UInt8]) {
        let (seconds, fraction) = floorDivision(nanoseconds, 1_000_000_000)
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        digits(year, 4, &output)
        output.append(UInt8(ascii: "-"))
        digits(month, 2, &output)
        output.append(UInt8(ascii: "-"))
        digits(day, 2, &output)
        output.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2, &output)
        output.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2, &output)
        output.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2, &output)
        let width = min(9, max(0, fractionDigits))
        if width > 0 {
            var cut = fraction
            for _ in width..<9 { cut /= 10 }
            output.append(UInt8(ascii: "."))
            digits(cut, width, &output)
        }
        if offset {
            output.append(contentsOf: "+00:00".utf8)
        } else {
            output.append(UInt8(ascii: "Z"))
        }
    }

    /// The date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`, the inverse of
    /// ``daysFromCivil(_:_:_:)``).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Quotient rounded down and the remainder that goes with it (never negative for a positive divisor).
    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// `value` in `width` digits with leading zeros; a value that needs more digits (a year past 9999) or is
    /// negative (a year before 0) is written whole. Written from the last digit, dividing by the constant 10: this
    /// runs seven times per replayed record.
    private static func digits(_ value: Int64, _ width: Int, _ output: inout [UInt8]) {
        var limit: Int64 = 1
        for _ in 0..<width { limit &*= 10 }
        guard value >= 0, value < limit else {
            output.append(contentsOf: String(value).utf8)
            return
        }
        output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var rest = value
        var index = output.count - 1
        while rest > 0 {
            output[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
            rest /= 10
            index -= 1
        }
    }
}
