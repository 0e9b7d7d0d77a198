/// A bounded cache of normalised labels keyed by their raw bytes, so that the usual handful of
/// distinct domains and event types are normalised once and then returned without allocating.
///
/// Open addressing with linear probing over a power-of-two table kept at most half full. A key's
/// first 16 bytes live in its entry (most labels are shorter), the rest in one byte arena. Once
/// `capacity` entries are cached (or for raw values longer than `maximumKeyLength`), labels are
/// computed and returned without caching, so a flood of distinct values (a cardinality attack)
/// cannot grow memory without bound. The hash is seeded per process so that colliding keys cannot
/// be prepared in advance.
struct LabelInterner: Sendable {
    static let defaultCapacity = 4096
    static let maximumKeyLength = 128

    private struct Entry: Sendable {
        var hash: UInt64
        /// The key's first 16 bytes, zero-padded.
        var head: (UInt64, UInt64)
        var count: Int32
        /// Where bytes 16… of the key are in the arena.
        var restStart: Int32
    }

    /// The most labels cached.
    let capacity: Int
    /// Slot → entry index + 1; 0 is an empty slot.
    private var slots: [Int32]
    private var entries: [Entry] = []
    private var labels: [Label] = []
    private var arena: [UInt8] = []
    private let seed: UInt64

    init(capacity: Int = defaultCapacity) {
        self.capacity = max(capacity, 0)
        var size = 16
        while size < self.capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        var generator = SystemRandomNumberGenerator()
        seed = generator.next()
    }

    /// The number of labels cached.
    var count: Int { labels.count }

    /// The label for `raw`, from the cache when it is there.
    mutating func label(_ raw: UnsafeRawBufferPointer) -> Label {
        let n = raw.count
        guard n <= Self.maximumKeyLength else { return LabelNormaliser.label(raw) }
        let head = Self.head(raw)
        var hash = Self.mix(seed ^ UInt64(n) &* 0x9E37_79B9_7F4A_7C15 ^ head.0)
        hash = Self.mix(hash ^ head.1)
        var i = 16
        while i < n {
            hash = Self.mix(hash ^ Self.chunk(raw, from: i))
            i &+= 8
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while case let found = slots[slot], found != 0 {
            let index = Int(found &- 1)
            let entry = entries[index]
            if entry.hash == hash, entry.count == n, entry.head == head, n <= 16 || restEquals(entry, raw) {
                return labels[index]
            }
            slot = (slot &+ 1) & mask
        }
        let label = LabelNormaliser.label(raw)
        if labels.count < capacity {
            entries.append(Entry(hash: hash, head: head, count: Int32(n), restStart: Int32(arena.count)))
            labels.append(label)
            if n > 16 { arena.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[16...])) }
            slots[slot] = Int32(labels.count)
        }
        return label
    }

    private func restEquals(_ entry: Entry, _ raw: UnsafeRawBufferPointer) -> Bool {
        let start = Int(entry.restStart)
        return arena[start..<(start + raw.count - 16)].elementsEqual(raw[16...])
    }

    /// The first 16 bytes of `raw`, zero-padded, as two words.
    @inline(__always)
    private static func head(_ raw: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        let n = raw.count
        if n >= 16 { return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        if n >= 8 { return (raw.loadUnaligned(as: UInt64.self), chunk(raw, from: 8)) }
        return (chunk(raw, from: 0), 0)
    }

    /// Up to eight bytes from `start`, zero-padded: one (overlapping) load when the buffer holds
    /// eight bytes, else byte by byte.
    @inline(__always)
    private static func chunk(_ raw: UnsafeRawBufferPointer, from start: Int) -> UInt64 {
        let n = raw.count
        if start &+ 8 <= n { return raw.loadUnaligned(fromByteOffset: start, as: UInt64.self) }
        if start >= n { return 0 }
        if n >= 8 { return raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) &>> UInt64(8 &* (8 &- (n &- start))) }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var i = start
        while i < n {
            value |= UInt64(raw[i]) &<< shift
            shift &+= 8
            i &+= 1
        }
        return value
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 31
        z = z &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 29)
    }
}
