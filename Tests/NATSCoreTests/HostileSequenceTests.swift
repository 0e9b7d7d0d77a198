import NIOCore
import Testing

@testable import NATSCore

@Suite struct HostileSequenceTests {
    /// Stream and consumer sequences come from the wire: `UInt64.max` gives a reset, never an overflow trap.
    @Test func sequencesAtTheTopOfTheRangeDoNotOverflow() {
        var tracker = OrderedSequenceTracker(startAfter: .max)
        #expect(tracker.nextStreamSequence == .max)
        #expect(tracker.received(consumerSequence: 1, streamSequence: .max) == .deliver)
        #expect(tracker.received(consumerSequence: 5, streamSequence: 9) == .reset(startAt: .max))
        var top = OrderedSequenceTracker()
        #expect(top.received(consumerSequence: 1, streamSequence: .max) == .deliver)
        #expect(top.received(consumerSequence: 2, streamSequence: 3) == .deliver)
        var wrapped = OrderedSequenceTracker()
        _ = wrapped.received(consumerSequence: 1, streamSequence: 1)
        #expect(wrapped.received(consumerSequence: .max, streamSequence: 2) == .reset(startAt: 2))
        #expect(AckMetadata(replySubject: "$JS.ACK.S.C.1.18446744073709551616.1.1.0") == nil)
    }
}
