/// Which archive a JetStream snapshot holds, from its first bytes: nats-server 2.15 and later send an S2-compressed
/// `NATSARC1` archive, earlier servers an S2-compressed tar. The official `nats` CLI names the file after it
/// (`stream.arc.s2`, `stream.tar.s2`), and so does `backup`. Pure.
///
/// The data is an S2 stream in the Snappy framing format: the stream identifier chunk (`ff 06 00 00` and `S2sTwO`,
/// or `sNaPpY`), then chunks of a type byte, a 3-byte little-endian length and a 4-byte CRC. The first data chunk
/// is uncompressed (type 1: the bytes follow the CRC) or compressed (type 0: a varint of the decoded length, then
/// elements, of which the first can only be a literal: a tag byte whose low two bits are 0, its length in the tag or
/// in the 1–4 bytes after it, then the bytes). Where the first decoded bytes are `NATSARC1`, it is the archive.
public enum SnapshotArchiveKind: Sendable, Equatable {
    case natsArchive
    /// A tar, or anything not recognised as the archive (named as the tar was, as before the archive existed).
    case other

    /// How many leading bytes of the snapshot ``init(head:)`` needs at most.
    public static let headLength = 64

    static let magic = Array("NATSARC1".utf8)

    public init(head: [UInt8]) {
        self = Self.decodedPrefix(head).starts(with: Self.magic) ? .natsArchive : .other
    }

    /// The first decoded bytes of the first chunk (up to what `head` holds), or nothing when `head` is not an S2
    /// or Snappy stream.
    static func decodedPrefix(_ head: [UInt8]) -> ArraySlice<UInt8> {
        let identifiers = [Array("S2sTwO".utf8), Array("sNaPpY".utf8)]
        guard head.count > 18, head[0] == 0xFF, head[1] == 0x06, head[2] == 0, head[3] == 0,
            identifiers.contains(where: { head[4..<10].elementsEqual($0) })
        else { return [] }
        var index = 18  // after the chunk's type, length and CRC
        switch head[10] {
        case 0x01:
            return head[index...]
        case 0x00:
            while index < head.count, head[index] & 0x80 != 0 { index += 1 }  // the decoded length
            index += 1
            guard index < head.count, head[index] & 0x03 == 0 else { return [] }
            let short = Int(head[index] >> 2)
            index += 1
            if short >= 60 { index += short - 59 }  // the length's extra bytes
            guard index < head.count else { return [] }
            return head[index...]
        default:
            return []
        }
    }
}
