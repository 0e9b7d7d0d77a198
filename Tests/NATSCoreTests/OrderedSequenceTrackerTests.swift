import Testing

@testable import NATSCore

@Suite struct OrderedSequenceTrackerTests {
    @Test func deliversInOrderAndResetsOnAGap() {
        var tracker = OrderedSequenceTracker()
        #expect(tracker.received(consumerSequence: 1, streamSequence: 10) == .deliver)
        #expect(tracker.received(consumerSequence: 2, streamSequence: 11) == .deliver)
        #expect(tracker.received(consumerSequence: 4, streamSequence: 13) == .reset(startAt: 12))
        tracker.consumerRecreated()
        #expect(tracker.received(consumerSequence: 1, streamSequence: 12) == .deliver)
        #expect(tracker.lastStreamSequence == 12)
    }
}
