/// The ids of the most recent events, to count duplicates: a FIFO ring plus a set of fingerprints.
///
/// Ids are kept as 64-bit fingerprints of their UTF-8 bytes (MurmurHash64A, seed 0, little-endian words;
/// 0 is mapped to 1): stable across processes and platforms, so the window survives snapshots, 8 bytes
/// each, and with a chance of a false duplicate of about n²/2⁶⁵ per window (3·10⁻¹⁰ for 100,000 ids).
/// Once full, every new id evicts the oldest; a duplicate does not refresh its id.
struct DuplicateWindow: Sendable {
    /// The most ids held; at least 1.
    let capacity: Int
    private var ring: [UInt64] = []
    /// The index of the oldest fingerprint once the ring is full.
    private var head = 0
    private var members = FingerprintSet()

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { ring.count }

    /// Records an id; returns `true` when it is already in the window (a duplicate).
    mutating func insert(id: String) -> Bool {
        insert(fingerprint: Self.fingerprint(id))
    }

    /// Records a fingerprint (non-zero); returns `true` when it is already in the window.
    mutating func insert(fingerprint: UInt64) -> Bool {
        guard members.insert(fingerprint) else { return true }
        if ring.count < capacity {
            ring.append(fingerprint)
        } else {
            members.remove(ring[head])
            ring[head] = fingerprint
            head = head + 1 == capacity ? 0 : head + 1
        }
        return false
    }

    /// The fingerprints held, oldest first.
    var fingerprints: [UInt64] {
        Array(ring[head...] + ring[..<head])
    }

    /// The fingerprint of an id: MurmurHash64A of its UTF-8 bytes, never 0.
    static func fingerprint(_ id: String) -> UInt64 {
        let hash = id.utf8.withContiguousStorageIfAvailable { MurmurHash64A.hash($0) } ?? MurmurHash64A.hash(Array(id.utf8))
        return hash == 0 ? 1 : hash
    }
}

extension DuplicateWindow: Equatable {
    /// Equal when they hold the same fingerprints in the same order.
    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.capacity == rhs.capacity && lhs.fingerprints == rhs.fingerprints
    }
}
