/// The 64-bit FNV-1a hash: the snapshot checksum and the duplicate-window id fingerprint.
///
/// Any single changed byte changes the hash (each step is a bijection of the state), which is what a
/// corruption check needs; it is not a defence against deliberate tampering.
struct FNV1a {
    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    private(set) var value = Self.offsetBasis

    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* Self.prime
    }

    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hasher = FNV1a()
        for byte in bytes { hasher.add(byte) }
        return hasher.value
    }
}
