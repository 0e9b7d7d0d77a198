import Operations
import Testing

/// The archive inside a JetStream snapshot, told from its first bytes, so the data file gets the name the `nats`
/// CLI gives it.
@Suite struct SnapshotArchiveKindTests {
    /// The first 48 bytes of a snapshot nats-server 2.15.1 sent (S2 stream identifier, a compressed chunk whose first
    /// literal begins `NATSARC1`).
    static let server215: [UInt8] = [
        0xFF, 0x06, 0x00, 0x00, 0x53, 0x32, 0x73, 0x54, 0x77, 0x4F, 0x00, 0x6A, 0x72, 0x00, 0xA1, 0x90,
        0x55, 0x54, 0x9F, 0xE7, 0x06, 0xF0, 0x4B, 0x4E, 0x41, 0x54, 0x53, 0x41, 0x52, 0x43, 0x31, 0x0A,
        0xB8, 0x91, 0xED, 0xFD, 0xB6, 0xD9, 0x9E, 0xED, 0x31, 0x00, 0x00, 0xB9, 0x01, 0x73, 0x74, 0x61,
    ]

    @Test func aNATSServer215SnapshotIsTheArchive() {
        #expect(SnapshotArchiveKind(head: Self.server215) == .natsArchive)
    }

    @Test func anUncompressedFirstChunkAndAShortLiteralAreRead() {
        let identifier: [UInt8] = [0xFF, 0x06, 0x00, 0x00] + Array("sNaPpY".utf8)
        let uncompressed = identifier + [0x01, 0x0C, 0x00, 0x00, 1, 2, 3, 4] + Array("NATSARC1....".utf8)
        #expect(SnapshotArchiveKind(head: uncompressed) == .natsArchive)
        // A literal of 8 bytes, its length in the tag: (8 - 1) << 2.
        let short = identifier + [0x00, 0x0B, 0x00, 0x00, 1, 2, 3, 4, 0x08, 7 << 2] + Array("NATSARC1".utf8)
        #expect(SnapshotArchiveKind(head: short) == .natsArchive)
    }

    @Test func aTarSnapshotIsNotTheArchive() {
        let identifier: [UInt8] = [0xFF, 0x06, 0x00, 0x00] + Array("S2sTwO".utf8)
        let tar = identifier + [0x00, 0x40, 0x00, 0x00, 1, 2, 3, 4, 0x80, 0x10, 0xF0, 0x3F] + Array("meta.inf\0\0\0\0".utf8)
        #expect(SnapshotArchiveKind(head: tar) == .other)
    }

    @Test(arguments: [[], [0xFF], Array(server215.prefix(20)), Array(server215.prefix(24)), [UInt8](repeating: 0xFF, count: 64)])
    func truncatedOrForeignBytesAreNotTheArchive(head: [UInt8]) {
        #expect(SnapshotArchiveKind(head: head) == .other)
    }
}
