import CIMEvents
import CIMSimulation
import Testing

@testable import EventMetrics

@Suite struct SnapshotTests {
    /// A fold with every kind of state: small limits (overflow series), a wrapping duplicate window, histograms, lag.
    static func richFold(events count: Int, seed: UInt64) -> (MetricsFold, [Event]) {
        var generator = SplitMix64(seed: seed)
        let events = (0..<count).map { index in
            var one = randomEvent(using: &generator)
            if index % 7 == 0 { one.eventType = "rare_\(index % 50)" }
            if index % 11 == 0 { one.domain = "domain_\(index % 13)" }
            return one
        }
        let fold = MetricsFold(
            limits: CardinalityLimits(domain: 8, aggregateType: 4, eventType: 12, errorType: 2, seriesPerFamily: 40),
            publishDelayBuckets: [0.01, 1, 100],
            lagBuckets: [0.5, 2],
            duplicateWindow: 64
        )
        return (fold, events)
    }

    static func apply(_ events: some Sequence<Event>, to fold: inout MetricsFold) {
        for (offset, one) in events.enumerated() {
            fold.fold(one, storedAt: one.time.map { $0 + Double(offset % 5) }, sequence: fold.lastSequence + 1)
            if offset % 9 == 0 { fold.observeLag(Double(offset % 4) * 0.4, domain: one.domain) }
        }
    }

    @Test func restoresEveryPartOfTheState() throws {
        var (fold, events) = Self.richFold(events: 3000, seed: 1)
        Self.apply(events, to: &fold)
        let bytes = fold.snapshot()
        let restored = try MetricsFold(snapshot: bytes)
        #expect(restored == fold)
        #expect(restored.snapshot() == bytes)
        #expect(try restored.text(.openMetrics) == fold.text(.openMetrics))
        #expect(restored.json() == fold.json())
        #expect(restored.limits == fold.limits)
        #expect(restored.publishDelayBuckets == [0.01, 1, 100])
        #expect(restored.lagBuckets == [0.5, 2])
        #expect(restored.duplicateWindowCapacity == 64)
        #expect(restored.lastSequence == 3000)
        #expect(try fold.text(.prometheus).contains("__overflow__"))
    }

    @Test func restoresAnEmptyFold() throws {
        let fold = MetricsFold()
        let restored = try MetricsFold(snapshot: fold.snapshot())
        #expect(restored == fold)
        #expect(try restored.text(.prometheus) == fold.text(.prometheus))
    }

    @Test(arguments: [0, 1, 63, 64, 65, 500, 1999, 2000])
    func foldingOnAfterARestoreEqualsNeverStopping(split: Int) throws {
        let (empty, events) = Self.richFold(events: 2000, seed: 2)
        var whole = empty
        Self.apply(events, to: &whole)

        var first = empty
        Self.apply(events[..<split], to: &first)
        var resumed = try MetricsFold(snapshot: first.snapshot())
        Self.applyContinuing(events[split...], from: split, to: &resumed)

        #expect(resumed == whole)
        #expect(resumed.snapshot() == whole.snapshot())
        #expect(try resumed.text(.prometheus) == whole.text(.prometheus))
    }

    /// ``apply(_:to:)`` for the tail of a sequence, with the same per-position choices.
    static func applyContinuing(_ events: ArraySlice<Event>, from start: Int, to fold: inout MetricsFold) {
        for (offset, one) in zip(start..., events) {
            fold.fold(one, storedAt: one.time.map { $0 + Double(offset % 5) }, sequence: fold.lastSequence + 1)
            if offset % 9 == 0 { fold.observeLag(Double(offset % 4) * 0.4, domain: one.domain) }
        }
    }

    @Test func restoresTheAllOverflowFailureSeries() throws {
        var fold = MetricsFold(limits: CardinalityLimits(errorType: 0, seriesPerFamily: 2))
        fold.fold((0..<6).map { event("d\($0)", "a", "x_failed", failed: true, errorType: "e") })
        var restored = try MetricsFold(snapshot: fold.snapshot())
        #expect(restored == fold)
        fold.fold(event("d9", "a", "x_failed", failed: true), storedAt: nil, sequence: 7)
        restored.fold(event("d9", "a", "x_failed", failed: true), storedAt: nil, sequence: 7)
        #expect(restored.snapshot() == fold.snapshot())
        let overflow = MetricsFold.overflowLabelValue
        let labels: KeyValuePairs<String, String> = ["domain": overflow, "aggregate_type": overflow, "event_type": overflow, "error_type": overflow]
        #expect(restored.count("cim_events_failed_total", labels) == 6)
    }

    @Test func rejectsEveryTruncation() throws {
        var (fold, events) = Self.richFold(events: 300, seed: 3)
        Self.apply(events, to: &fold)
        let bytes = fold.snapshot()
        for length in 0..<bytes.count {
            #expect(throws: SnapshotError(.truncated, "")) { try MetricsFold(snapshot: Array(bytes[..<length])) }
        }
    }

    @Test func rejectsEveryFlippedByte() throws {
        var (fold, events) = Self.richFold(events: 300, seed: 4)
        Self.apply(events, to: &fold)
        let bytes = fold.snapshot()
        for index in bytes.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var corrupt = bytes
                corrupt[index] ^= mask
                let expected: SnapshotError.Code
                switch index {
                case 0..<4: expected = .badMagic
                case 4..<6:
                    // a flip to another readable version passes the version check and fails the checksum
                    let version = UInt16(corrupt[4]) | UInt16(corrupt[5]) << 8
                    expected = SnapshotFormat.readableVersions.contains(version) ? .checksumMismatch : .unsupportedVersion
                case 8..<16: expected = index < 16 && Self.announcesMore(corrupt) ? .truncated : .malformed
                default: expected = .checksumMismatch
                }
                #expect(throws: SnapshotError(expected, ""), "byte \(index) ^ \(mask)") { try MetricsFold(snapshot: corrupt) }
            }
        }
    }

    /// Whether the header of a snapshot announces more bytes than it has.
    static func announcesMore(_ bytes: [UInt8]) -> Bool {
        let length = bytes[8..<16].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
        return length > UInt64(bytes.count - 24)
    }

    @Test func rejectsBytesThatAreNotASnapshot() {
        #expect(throws: SnapshotError(.badMagic, "")) { try MetricsFold(snapshot: Array("# HELP x\n".utf8)) }
        #expect(throws: SnapshotError(.badMagic, "")) { try MetricsFold(snapshot: [0]) }
    }

    @Test func rejectsAnotherVersionEvenWithAValidChecksum() {
        var bytes = MetricsFold().snapshot()
        bytes[4] = 4
        #expect(throws: SnapshotError(.unsupportedVersion, "")) { try MetricsFold(snapshot: Self.resealed(bytes)) }
    }

    @Test func rejectsTrailingBytes() {
        #expect(throws: SnapshotError(.malformed, "")) { try MetricsFold(snapshot: MetricsFold().snapshot() + [0]) }
        var body = MetricsFold().snapshot().dropLast(8)
        body.append(0)
        body[8] &+= 1
        #expect(throws: SnapshotError(.malformed, "")) { try MetricsFold(snapshot: Self.resealed(Array(body) + [0, 0, 0, 0, 0, 0, 0, 0])) }
    }

    @Test func rejectsOrSurvivesEveryResealedMutationWithoutTrapping() throws {
        var (fold, events) = Self.richFold(events: 400, seed: 5)
        Self.apply(events, to: &fold)
        let bytes = fold.snapshot()
        var generator = SplitMix64(seed: 6)
        var rejected = 0
        for _ in 0..<500 {
            var corrupt = bytes
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                corrupt[Int.random(in: 16..<(bytes.count - 8), using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            do {
                let restored = try MetricsFold(snapshot: Self.resealed(corrupt))
                _ = try restored.text(.openMetrics)
                _ = restored.json()
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 150)
    }

    @Test func describesErrorsWithCodeAndMessage() {
        do {
            _ = try MetricsFold(snapshot: [])
            Issue.record("an empty snapshot was accepted")
        } catch {
            #expect(error.code == .truncated)
            #expect(error.description.hasPrefix("SnapshotError(truncated snapshot): "))
        }
    }

    /// The bytes with the checksum recomputed over the header and body (the last 8 bytes).
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        let content = bytes.dropLast(8)
        let checksum = FNV1a.hash(content)
        return Array(content) + (0..<8).map { UInt8(truncatingIfNeeded: checksum >> (8 * $0)) }
    }
}
