/// Parses RFC 3339 date-times (`2025-07-05T18:51:57.250Z`, `2025-07-05T19:06:30.123456789+00:00`)
/// into unix seconds. Accepts `T`/`t`/space as the separator, `Z`/`z` or a `±HH:MM` offset, and a
/// fraction of any length; rejects anything else, including out-of-range fields and missing offsets.
public enum RFC3339 {
    public static func seconds(_ s: UnsafeRawBufferPointer) -> Double? {
        let n = s.count
        guard n >= 20 else { return nil }
        @inline(__always) func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= n else { return nil }
            var value = 0
            for k in at..<(at + count) {
                let d = s[k] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
            }
            return value
        }
        guard let year = digits(0, 4), s[4] == UInt8(ascii: "-"), let month = digits(5, 2), s[7] == UInt8(ascii: "-"),
            let day = digits(8, 2), s[10] | 0x20 == UInt8(ascii: "t") || s[10] == UInt8(ascii: " "),
            let hour = digits(11, 2), s[13] == UInt8(ascii: ":"), let minute = digits(14, 2), s[16] == UInt8(ascii: ":"),
            let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year, month), hour < 24, minute < 60, second <= 60 else {
            return nil
        }
        var i = 19
        var fraction = 0.0
        if s[i] == UInt8(ascii: ".") {
            i += 1
            let first = i
            var value: UInt64 = 0
            var scale: UInt64 = 1
            while i < n, s[i] &- UInt8(ascii: "0") < 10 {
                if i - first < 18 {  // beyond attoseconds, digits do not matter
                    value = value &* 10 &+ UInt64(s[i] &- UInt8(ascii: "0"))
                    scale &*= 10
                }
                i += 1
            }
            guard i > first else { return nil }
            fraction = Double(value) / Double(scale)
        }
        guard i < n else { return nil }
        var offset = 0
        if s[i] | 0x20 == UInt8(ascii: "z") {
            i += 1
        } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            guard let oh = digits(i + 1, 2), i + 3 < n, s[i + 3] == UInt8(ascii: ":"), let om = digits(i + 4, 2), oh < 24, om < 60 else {
                return nil
            }
            offset = (oh * 3600 + om * 60) * (s[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == n else { return nil }
        let whole = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Double(whole) + fraction
    }

    static func isLeapYear(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: isLeapYear(y) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
