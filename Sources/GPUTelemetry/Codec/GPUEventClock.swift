import Foundation

/// Event ids and times for GPU events: UUIDv7 ids (RFC 9562) and RFC 3339 UTC times with milliseconds.
public enum GPUEventClock {
    /// A version 7 UUID for unix time `seconds`, its 74 random bits from `random`.
    public static func eventID(at seconds: Double, random: (UInt64, UInt64)) -> String {
        let millis = UInt64(max(0, min(seconds * 1000, Double(1 << 48 - 1))))
        let high = millis << 16 | 0x7000 | (random.0 & 0x0FFF)
        let low = (random.1 & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        return "\(hex(high >> 32, 8))-\(hex(high >> 16 & 0xFFFF, 4))-\(hex(high & 0xFFFF, 4))-\(hex(low >> 48, 4))-\(hex(low & 0xFFFF_FFFF_FFFF, 12))"
    }

    /// A UUIDv7 for now, with system randomness.
    public static func eventID(at seconds: Double = Date().timeIntervalSince1970) -> String {
        var generator = SystemRandomNumberGenerator()
        return eventID(at: seconds, random: (generator.next(), generator.next()))
    }

    /// `2026-07-03T22:11:09.763Z` for unix time `seconds`.
    public static func timestamp(_ seconds: Double) -> String {
        let millisTotal = Int64((seconds * 1000).rounded(.down))
        let days = millisTotal >= 0 ? millisTotal / 86_400_000 : (millisTotal - 86_399_999) / 86_400_000
        let millisOfDay = millisTotal - days * 86_400_000
        // civil from days (Howard Hinnant's algorithm)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let hour = millisOfDay / 3_600_000
        let minute = millisOfDay / 60000 % 60
        let second = millisOfDay / 1000 % 60
        let millis = millisOfDay % 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millis, 3))Z"
    }

    /// Unix seconds from an RFC 3339 time (as ``timestamp(_:)`` writes it, or with an offset or more
    /// fraction digits); `nil` when it does not parse.
    public static func seconds(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970
    }
}
