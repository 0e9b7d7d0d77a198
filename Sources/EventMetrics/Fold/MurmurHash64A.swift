/// MurmurHash64A (Austin Appleby, public domain) with seed 0 over little-endian 8-byte words: a fast,
/// well-mixed 64-bit hash whose value is the same on every platform and in every process.
enum MurmurHash64A {
    private static let multiplier: UInt64 = 0xc6a4_a793_5bd1_e995

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let m = multiplier
        let count = bytes.count
        var hash = UInt64(truncatingIfNeeded: count) &* m
        guard let base = bytes.baseAddress else { return finish(hash) }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset &+ 8 <= count {
            var word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            word &*= m
            word ^= word >> 47
            word &*= m
            hash ^= word
            hash &*= m
            offset &+= 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(base[offset]) << shift
                shift &+= 8
                offset &+= 1
            }
            hash ^= tail
            hash &*= m
        }
        return finish(hash)
    }

    private static func finish(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 47
        hash &*= multiplier
        hash ^= hash >> 47
        return hash
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { hash($0) }
    }
}
