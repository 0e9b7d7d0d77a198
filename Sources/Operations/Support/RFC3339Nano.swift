/// RFC 3339 times with nanoseconds, as JetStream writes them (`2026-12-01T17:15:24.123456789Z`). Pure.
public enum RFC3339Nano {
    /// UTC text of a unix time in nanoseconds, with all nine fraction digits.
    public static func format(nanoseconds: Int64) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(30)
        append(nanoseconds: nanoseconds, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// UTC text of a unix time in seconds (nanosecond precision, as far as a double holds it).
    public static func format(seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 9e9 else { return String(seconds) }
        return format(nanoseconds: Int64((seconds * 1e9).rounded()))
    }

    /// Appends the text of ``format(nanoseconds:)`` to `output` without an intermediate `String`.
    public static func append(nanoseconds: Int64, to output: inout [UInt8]) {
        let seconds = nanoseconds.dividedFloor(by: 1_000_000_000)
        let fraction = nanoseconds - seconds * 1_000_000_000
        let days = seconds.dividedFloor(by: 86_400)
        let secondOfDay = seconds - days * 86_400
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
        output.append(UInt8(ascii: "."))
        digits(fraction, 9, &output)
        output.append(UInt8(ascii: "Z"))
    }

    /// Unix seconds of `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (`t`/`z` accepted); `nil` for anything else.
    public static func parse(_ text: String) -> Double? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for index in from..<from + count {
                let digit = Int(b[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0, 4), b[4] == UInt8(ascii: "-"), let month = number(5, 2), b[7] == UInt8(ascii: "-"),
            let day = number(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"), let hour = number(11, 2),
            b[13] == UInt8(ascii: ":"), let minute = number(14, 2), b[16] == UInt8(ascii: ":"), let second = number(17, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(year, month), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < b.count, (48...57).contains(b[index]) {
                fraction += Double(b[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < b.count else { return nil }
        var offset = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let hours = number(index + 1, 2), b.count > index + 3, b[index + 3] == UInt8(ascii: ":"),
                let minutes = number(index + 4, 2), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (b[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            return nil
        }
        guard index == b.count else { return nil }
        let days = daysFromCivil(year, month, day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// `value` (not negative) in `width` digits with leading zeros; all its digits when it has more (a year past
    /// 9999). Written from the last digit, dividing by the constant 10: this runs seven times per replayed record.
    private static func digits(_ value: Int64, _ width: Int, _ output: inout [UInt8]) {
        var limit: Int64 = 1
        for _ in 0..<width { limit &*= 10 }
        guard value < limit else {
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

    private static func digits(_ value: Int, _ width: Int, _ output: inout [UInt8]) {
        digits(Int64(value), width, &output)
    }

    private static func daysIn(_ year: Int, _ month: Int) -> Int {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01 (the inverse of ``daysFromCivil(_:_:_:)``).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    fileprivate func dividedFloor(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
