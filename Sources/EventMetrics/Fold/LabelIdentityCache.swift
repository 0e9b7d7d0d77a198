/// A two-way set-associative cache from the identity of an event's three label strings to its events series,
/// so that the hot path does not hash label text.
///
/// The mapper interns label values, so the same label arrives as the same string: same storage, same
/// representation bits. A slot keeps the strings it was filled with (retaining their storage, which can then
/// neither be freed and reused nor mutated in place), so equal representation bits mean equal strings.
/// Strings that are equal but not identical simply miss and take the dictionary path; on platforms where a
/// `String` is not 16 bytes the cache is off.
struct LabelIdentityCache: Sendable {
    private static let setCount = 2048
    /// Per slot: the representation bits of the three strings (6 words), the series index (`UInt64.max` = empty), padding.
    private static let stride = 8
    private static let enabled = MemoryLayout<String>.size == 16
    private static let emptyMarker = UInt64.max

    /// Set `s` holds slots `2s` (most recently stored) and `2s + 1`.
    private var words = [UInt64](repeating: 0, count: setCount * 2 * stride)
    /// The strings whose bits each slot holds, kept alive by the cache.
    private var keys = [EventsKey?](repeating: nil, count: setCount * 2)

    init() {
        for slot in 0..<Self.setCount * 2 { words[slot * Self.stride + 6] = Self.emptyMarker }
    }

    /// The cached series of these exact strings, or `nil`.
    func series(_ domain: String, _ aggregateType: String, _ eventType: String) -> Int32? {
        guard Self.enabled else { return nil }
        let bits = Self.bits(domain, aggregateType, eventType)
        let first = Self.set(bits) * 2 * Self.stride
        return words.withUnsafeBufferPointer { words in
            if let series = Self.match(words, at: first, bits) { return series }
            return Self.match(words, at: first + Self.stride, bits)
        }
    }

    private static func match(_ words: UnsafeBufferPointer<UInt64>, at base: Int, _ bits: Bits) -> Int32? {
        guard words[base] == bits.0, words[base + 1] == bits.1, words[base + 2] == bits.2, words[base + 3] == bits.3,
            words[base + 4] == bits.4, words[base + 5] == bits.5, words[base + 6] != emptyMarker
        else { return nil }
        return Int32(truncatingIfNeeded: words[base + 6])
    }

    /// Remembers the series of these strings in the first slot of their set, moving its entry to the second.
    mutating func store(_ key: EventsKey, series: Int32) {
        guard Self.enabled else { return }
        let bits = Self.bits(key.domain, key.aggregateType, key.eventType)
        let slot = Self.set(bits) * 2
        keys[slot + 1] = keys[slot]
        keys[slot] = key
        let base = slot * Self.stride
        words.withUnsafeMutableBufferPointer { words in
            for offset in 0..<Self.stride { words[base + Self.stride + offset] = words[base + offset] }
            (words[base], words[base + 1], words[base + 2]) = (bits.0, bits.1, bits.2)
            (words[base + 3], words[base + 4], words[base + 5]) = (bits.3, bits.4, bits.5)
            words[base + 6] = UInt64(truncatingIfNeeded: Int64(series))
        }
    }

    private typealias Bits = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    private static func bits(_ first: String, _ second: String, _ third: String) -> Bits {
        let a = bits(first)
        let b = bits(second)
        let c = bits(third)
        return (a.0, a.1, b.0, b.1, c.0, c.1)
    }

    /// The 16 bytes that represent a string (its count and flags, and its storage or its small-string bytes).
    private static func bits(_ string: String) -> (UInt64, UInt64) {
        withUnsafeBytes(of: string) { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    private static func set(_ bits: Bits) -> Int {
        var hash = bits.0 &* 0x9E37_79B9_7F4A_7C15
        hash = (hash ^ bits.1) &* 0xC2B2_AE3D_27D4_EB4F
        hash = (hash ^ bits.2) &* 0x9E37_79B9_7F4A_7C15
        hash = (hash ^ bits.3) &* 0xC2B2_AE3D_27D4_EB4F
        hash = (hash ^ bits.4) &* 0x9E37_79B9_7F4A_7C15
        hash = (hash ^ bits.5) &* 0xC2B2_AE3D_27D4_EB4F
        return Int(truncatingIfNeeded: hash >> UInt64(64 - setCount.trailingZeroBitCount))
    }
}
