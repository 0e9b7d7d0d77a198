import CIMEvents
import Testing

@testable import EventMetrics

/// Issue 10: a snapshot records which stream its sequence belongs to (the stream's creation time) and the resets
/// so far, so a monitor can tell a recreated stream from its own; version 1 snapshots without them still load.
@Suite struct StreamIdentitySnapshotTests {
    static func foldedFold() -> MetricsFold {
        var (fold, events) = SnapshotTests.richFold(events: 500, seed: 7)
        SnapshotTests.apply(events, to: &fold)
        return fold
    }

    @Test func snapshotKeepsTheStreamIdentityAndTheResets() throws {
        var fold = Self.foldedFold()
        fold.continueWithNewStream(identity: "2026-01-02T03:04:05.123456789Z", reason: "recreated")
        fold.continueWithNewStream(identity: "2026-01-02T03:04:05.123456789Z", reason: "snapshot_ahead")
        fold.continueWithNewStream(identity: "2026-01-03T00:00:00Z", reason: "recreated")
        SnapshotTests.apply((0..<10).map { event("orders", "order", "order_\($0 % 3)") }, to: &fold)
        let restored = try MetricsFold(snapshot: fold.snapshot())
        #expect(restored == fold)
        #expect(restored.streamIdentity == "2026-01-03T00:00:00Z")
        #expect(restored.streamResets == ["recreated": 2, "snapshot_ahead": 1])
        #expect(restored.lastSequence == 10)
    }

    @Test func aVersion1SnapshotStillLoadsWithAnUnknownStreamIdentity() throws {
        let fold = Self.foldedFold()
        let version1 = Self.version1(fold.snapshot())
        #expect(version1[4] == 1)
        let restored = try MetricsFold(snapshot: version1)
        #expect(restored == fold)
        #expect(restored.streamIdentity.isEmpty && restored.streamResets.isEmpty)
        #expect(restored.lastSequence == 500)
    }

    @Test func aVersion2SnapshotStillLoadsWithoutGPUState() throws {
        let fold = Self.foldedFold()
        let version2 = Self.version2(fold.snapshot())
        #expect(version2[4] == 2)
        let restored = try MetricsFold(snapshot: version2)
        #expect(restored == fold)
        #expect(restored.streamIdentity == fold.streamIdentity)
    }

    @Test func aVersion1SnapshotWithTheVersion2SectionsIsRejected() {
        var bytes = Self.foldedFold().snapshot()
        bytes[4] = 1
        #expect(throws: SnapshotError(.malformed, "")) { try MetricsFold(snapshot: SnapshotTests.resealed(bytes)) }
    }

    @Test func continuingWithANewStreamKeepsEveryCountAndStartsTheSequenceOver() {
        var fold = Self.foldedFold()
        let before = fold.families()
        fold.continueWithNewStream(identity: "new", reason: "recreated")
        #expect(fold.lastSequence == 0)
        #expect(fold.eventsProcessed == 500)
        #expect(fold.families() == before)
        fold.fold(event("orders", "order", "order_placed"), storedAt: nil, sequence: 1)
        #expect(fold.lastSequence == 1 && fold.eventsProcessed == 501)
    }

    @Test func unsortedOrZeroResetsAreMalformed() {
        var fold = MetricsFold()
        fold.continueWithNewStream(identity: "x", reason: "a")
        let bytes = fold.snapshot()
        // The stream section: "x" (u32 1 + 1 byte), count u32 1, "a" (u32 1 + 1 byte), u64 1, then the GPU state
        // and the checksum.
        var zero = bytes
        zero[zero.count - 16 - Self.emptyGPUSectionSize] = 0
        #expect(throws: SnapshotError(.malformed, "")) { try MetricsFold(snapshot: SnapshotTests.resealed(zero)) }
    }

    /// The bytes of an empty GPU state section (u32 length, the JSON of an empty ``GPUFold``).
    static let emptyGPUSectionSize = 4 + GPUFold().encoded().utf8.count

    /// The same state in the version 2 layout: without the GPU state, version 2, new length and checksum.
    static func version2(_ bytes: [UInt8]) -> [UInt8] {
        var reader = SnapshotReader(bytes[8..<16])
        let length = Int((try? reader.readUInt64()) ?? 0)
        let body = Array(bytes[16..<(16 + length)])
        let empty = GPUFold().encoded()
        precondition(body.suffix(empty.utf8.count).elementsEqual(empty.utf8), "the fold has a GPU state")
        let version2Body = body.dropLast(emptyGPUSectionSize)
        var header = Array(bytes[0..<4]) + [2, 0, 0, 0]
        header += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(version2Body.count) >> (8 * $0)) }
        return SnapshotTests.resealed(header + version2Body + [0, 0, 0, 0, 0, 0, 0, 0])
    }

    /// The same state in the version 1 layout: without the last three sections, version 1, new length and checksum.
    static func version1(_ bytes: [UInt8]) -> [UInt8] {
        let bytes = version2(bytes)
        var reader = SnapshotReader(bytes[8..<16])
        let length = Int((try? reader.readUInt64()) ?? 0)
        let body = Array(bytes[16..<(16 + length)])
        // identity "" (4 bytes) and 0 resets (4 bytes), as a fold without them writes.
        precondition(body.suffix(8) == [0, 0, 0, 0, 0, 0, 0, 0], "the fold has a stream identity or resets")
        let version1Body = body.dropLast(8)
        var header = Array(bytes[0..<4]) + [1, 0, 0, 0]
        header += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(version1Body.count) >> (8 * $0)) }
        return SnapshotTests.resealed(header + version1Body + [0, 0, 0, 0, 0, 0, 0, 0])
    }
}
