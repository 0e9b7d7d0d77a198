/// Bounds-checked little-endian decoding of the snapshot body; every failure is a ``SnapshotError``.
struct SnapshotReader {
    private let bytes: ArraySlice<UInt8>
    private var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.offset = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - offset }

    mutating func readUInt8() throws(SnapshotError) -> UInt8 { UInt8(try readLittleEndian(byteCount: 1)) }

    mutating func readUInt16() throws(SnapshotError) -> UInt16 { UInt16(try readLittleEndian(byteCount: 2)) }

    mutating func readUInt32() throws(SnapshotError) -> UInt32 { UInt32(try readLittleEndian(byteCount: 4)) }

    mutating func readUInt64() throws(SnapshotError) -> UInt64 { try readLittleEndian(byteCount: 8) }

    mutating func readDouble() throws(SnapshotError) -> Double { Double(bitPattern: try readUInt64()) }

    /// A 32-bit count of elements that each take at least `minimumSize` bytes, checked against what is left
    /// (so a corrupt count cannot make the reader allocate more than the input could describe).
    mutating func readCount(minimumSize: Int, _ what: String) throws(SnapshotError) -> Int {
        let count = Int(try readUInt32())
        guard count <= remaining / max(1, minimumSize) else {
            throw SnapshotError(.malformed, "\(what): \(count) entries cannot fit in \(remaining) bytes")
        }
        return count
    }

    /// An id below `limit`.
    mutating func readID(below limit: Int, _ what: String) throws(SnapshotError) -> Int32 {
        let id = try readUInt32()
        guard id < limit else { throw SnapshotError(.malformed, "\(what) id \(id) out of range (\(limit))") }
        return Int32(id)
    }

    /// A length-prefixed string that must be valid UTF-8.
    mutating func readString(_ what: String) throws(SnapshotError) -> String {
        let length = try readCount(minimumSize: 1, what)
        let slice = bytes[offset..<offset + length]
        offset += length
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw SnapshotError(.malformed, "\(what) is not valid UTF-8")
        }
        return text
    }

    private mutating func readLittleEndian(byteCount: Int) throws(SnapshotError) -> UInt64 {
        guard remaining >= byteCount else {
            throw SnapshotError(.malformed, "needed \(byteCount) more bytes at offset \(offset - bytes.startIndex)")
        }
        var value: UInt64 = 0
        for index in 0..<byteCount { value |= UInt64(bytes[offset + index]) << (8 * index) }
        offset += byteCount
        return value
    }
}
