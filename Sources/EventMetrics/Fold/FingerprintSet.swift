/// A set of non-zero 64-bit fingerprints: open addressing with linear probing and backward-shift deletion
/// (no tombstones, so a window that inserts and removes forever never degrades or rehashes).
///
/// The table grows by doubling while it is at most half full, up to the size its `capacity` needs.
struct FingerprintSet: Sendable {
    /// 0 marks an empty slot.
    private var slots: [UInt64] = []
    private var shift = 64
    private(set) var count = 0

    /// Adds `fingerprint` (non-zero); returns `false` when it was already present.
    mutating func insert(_ fingerprint: UInt64) -> Bool {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var index = home(fingerprint)
        while true {
            let slot = slots[index]
            if slot == fingerprint { return false }
            if slot == 0 {
                slots[index] = fingerprint
                count += 1
                return true
            }
            index = (index + 1) & mask
        }
    }

    /// Removes `fingerprint` when present.
    mutating func remove(_ fingerprint: UInt64) {
        guard !slots.isEmpty else { return }
        let mask = slots.count - 1
        var hole = home(fingerprint)
        while slots[hole] != fingerprint {
            if slots[hole] == 0 { return }
            hole = (hole + 1) & mask
        }
        slots[hole] = 0
        count -= 1
        // Shift later members of the probe run back into the hole when their home is not between hole and them.
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let wanted = home(slots[next])
            let staysPut = hole <= next ? (wanted > hole && wanted <= next) : (wanted > hole || wanted <= next)
            if !staysPut {
                slots[hole] = slots[next]
                slots[next] = 0
                hole = next
            }
            next = (next + 1) & mask
        }
    }

    func contains(_ fingerprint: UInt64) -> Bool {
        guard !slots.isEmpty else { return false }
        let mask = slots.count - 1
        var index = home(fingerprint)
        while slots[index] != 0 {
            if slots[index] == fingerprint { return true }
            index = (index + 1) & mask
        }
        return false
    }

    /// Fibonacci hashing: the high bits of the product pick the slot.
    private func home(_ fingerprint: UInt64) -> Int {
        Int(truncatingIfNeeded: (fingerprint &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    private mutating func grow() {
        let old = slots
        let size = max(16, old.count * 2)
        slots = [UInt64](repeating: 0, count: size)
        shift = 64 - size.trailingZeroBitCount
        count = 0
        for fingerprint in old where fingerprint != 0 { _ = insert(fingerprint) }
    }
}
