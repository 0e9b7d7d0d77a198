import CIMEvents
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

    /// `2026-07-03T22:11:09.763Z` for unix time `seconds` (milliseconds, cut).
    public static func timestamp(_ seconds: Double) -> String {
        let milliseconds = (seconds * 1000).rounded(.down)
        guard milliseconds.isFinite, abs(milliseconds) < 9e12 else { return String(seconds) }
        return RFC3339.format(nanoseconds: Int64(milliseconds) * 1_000_000, fractionDigits: 3)
    }

    /// Unix seconds from an RFC 3339 time (as ``timestamp(_:)`` writes it, or with an offset or more
    /// fraction digits); `nil` when it does not parse.
    public static func seconds(_ text: String) -> Double? {
        RFC3339.seconds(text)
    }
}
