/// Identifiers in the forms CIM producers use, drawn from the simulator's generator so that a seed
/// gives the same identifiers (apart from the time a UUIDv7 embeds).
public enum SimulatedID {
    /// A UUIDv7: 48 bits of unix milliseconds, then version, variant and 74 random bits.
    public static func uuidV7(milliseconds: UInt64, random: inout SplitMix64) -> String {
        let bits = random.next()
        let high = (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | (bits >> 52)
        let low = 0x8000_0000_0000_0000 | (random.next() >> 2)
        return format(high: high, low: low)
    }

    /// A random UUIDv4.
    public static func uuidV4(random: inout SplitMix64) -> String {
        let high = random.next() & 0xFFFF_FFFF_FFFF_0FFF | 0x4000
        let low = random.next() >> 2 | 0x8000_0000_0000_0000
        return format(high: high, low: low)
    }

    /// `count` lowercase hex digits (a git commit, a GPU serial).
    public static func hex(_ count: Int, random: inout SplitMix64) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        var bits = random.next()
        for index in 0..<count {
            if index > 0 && index % 16 == 0 { bits = random.next() }
            text.append(digits[Int(bits & 0xF)])
            bits >>= 4
        }
        return text
    }

    /// `8-4-4-4-12` lowercase hex.
    static func format(high: UInt64, low: UInt64) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        for (index, value) in [high, low].enumerated() {
            for nibble in 0..<16 {
                if (index == 0 && (nibble == 8 || nibble == 12)) || (index == 1 && (nibble == 0 || nibble == 4)) {
                    bytes.append(UInt8(ascii: "-"))
                }
                bytes.append(digits[Int(value >> UInt64(60 - 4 * nibble) & 0xF)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
