import Monitor
import Testing

/// Issue 10: which saved folds may go on with the stream as it is now (`StreamWorker` acts on the answer).
@Suite struct StreamResetReasonTests {
    static let created = "2026-03-01T10:00:00.123456789Z"

    @Test func aFoldOfThisStreamAtOrBeforeItsEndGoesOn() {
        for sequence: UInt64 in [0, 1, 99, 100] {
            #expect(
                StreamResetReason.check(foldIdentity: Self.created, foldSequence: sequence, streamCreated: Self.created, streamLastSequence: 100)
                    == nil
            )
        }
    }

    @Test func aStreamCreatedAtAnotherTimeWasRecreatedWhateverTheSequences() {
        for sequence: UInt64 in [0, 5, 100, 500] {
            let reason = StreamResetReason.check(
                foldIdentity: "2026-02-01T00:00:00Z",
                foldSequence: sequence,
                streamCreated: Self.created,
                streamLastSequence: 100
            )
            #expect(reason == .recreated, "\(sequence)")
        }
    }

    @Test func aFoldBeyondTheStreamsLastSequenceIsAhead() {
        #expect(
            StreamResetReason.check(foldIdentity: Self.created, foldSequence: 101, streamCreated: Self.created, streamLastSequence: 100)
                == .snapshotAhead
        )
        #expect(
            StreamResetReason.check(foldIdentity: Self.created, foldSequence: 1, streamCreated: Self.created, streamLastSequence: 0) == .snapshotAhead
        )
    }

    /// A version 1 snapshot names no stream: it is taken to be this one unless it is ahead of it.
    @Test func anUnknownIdentityIsThisStreamUnlessItIsAhead() {
        #expect(StreamResetReason.check(foldIdentity: "", foldSequence: 100, streamCreated: Self.created, streamLastSequence: 100) == nil)
        #expect(StreamResetReason.check(foldIdentity: "", foldSequence: 500, streamCreated: Self.created, streamLastSequence: 100) == .snapshotAhead)
    }

    @Test func reasonsAreTheLabelValuesOfTheResetsCounter() {
        #expect(StreamResetReason.allCases.map(\.rawValue) == ["recreated", "snapshot_ahead", "snapshot_invalid"])
    }
}
