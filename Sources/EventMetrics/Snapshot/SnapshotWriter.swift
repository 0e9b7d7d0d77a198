/// Little-endian encoding of the snapshot body.
struct SnapshotWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ value: UInt8) { bytes.append(value) }

    mutating func write(_ value: UInt16) { writeLittleEndian(UInt64(value), byteCount: 2) }

    mutating func write(_ value: UInt32) { writeLittleEndian(UInt64(value), byteCount: 4) }

    mutating func write(_ value: UInt64) { writeLittleEndian(value, byteCount: 8) }

    mutating func write(_ value: Double) { write(value.bitPattern) }

    /// A count or id that fits 32 bits (the fold's tables are far smaller).
    mutating func write(count: Int) { write(UInt32(truncatingIfNeeded: count)) }

    /// A length-prefixed UTF-8 string.
    mutating func write(_ text: String) {
        write(count: text.utf8.count)
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func writeLittleEndian(_ value: UInt64, byteCount: Int) {
        for index in 0..<byteCount { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }
}
