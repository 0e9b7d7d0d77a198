import Testing

@testable import NATSCore

@Suite struct AckMetadataTests {
    @Test func parsesTheNineTokenForm() throws {
        let metadata = try #require(AckMetadata(replySubject: "$JS.ACK.CIM_EVENTS.monitor_1.2.1234.17.1751741517250000000.99"))
        #expect(metadata.domain == nil)
        #expect(metadata.stream == "CIM_EVENTS")
        #expect(metadata.consumer == "monitor_1")
        #expect(metadata.delivered == 2)
        #expect(metadata.streamSequence == 1234)
        #expect(metadata.consumerSequence == 17)
        #expect(metadata.timestampNanoseconds == 1_751_741_517_250_000_000)
        #expect(metadata.pending == 99)
    }

    @Test func parsesTheElevenTokenFormWithDomainAndExtraTokens() throws {
        let metadata = try #require(AckMetadata(replySubject: "$JS.ACK.hub.ACCHASH.S.C.1.5.6.1700000000000000000.0.random"))
        #expect(metadata.domain == "hub")
        #expect(metadata.stream == "S" && metadata.consumer == "C")
        #expect(metadata.streamSequence == 5 && metadata.consumerSequence == 6 && metadata.pending == 0)
        let noDomain = try #require(AckMetadata(replySubject: "$JS.ACK._.ACCHASH.S.C.1.5.6.1700000000000000000.0"))
        #expect(noDomain.domain == nil)
    }

    @Test(arguments: [
        "$JS.ACK.S.C.1.2.3.4", "$JS.ACK.S.C.1.2.3.4.5.6", "_INBOX.x", "$JS.NAK.S.C.1.2.3.4.5", "$JS.ACK.S.C.x.2.3.4.5",
        "$JS.ACK.S.C.1.2.3.99999999999999999999999.5",
    ])
    func rejectsOtherSubjects(_ subject: String) {
        #expect(AckMetadata(replySubject: subject) == nil)
    }
}

@Suite struct PullStateMachineTests {
    @Test func topsUpBelowTheThreshold() {
        var machine = PullStateMachine(batch: 10)
        #expect(machine.started() == .pull(10))
        for _ in 0..<4 { #expect(machine.messageReceived() == .none) }
        #expect(machine.messageReceived() == .none)  // 5 outstanding, threshold 5: not below yet
        #expect(machine.messageReceived() == .pull(6))
        #expect(machine.outstanding == 10)
    }

    @Test func expiredRequestsReleaseTheirCount() {
        var machine = PullStateMachine(batch: 10)
        _ = machine.started()
        #expect(machine.statusReceived(code: 408, description: "Request Timeout", pendingMessages: 10) == .pull(10))
        #expect(machine.statusReceived(code: 100, description: "Idle Heartbeat", pendingMessages: nil) == .none)
    }

    @Test func deletedConsumerTerminates() {
        var machine = PullStateMachine(batch: 10)
        _ = machine.started()
        #expect(machine.statusReceived(code: 409, description: "Consumer Deleted", pendingMessages: nil) == .terminate("Consumer Deleted"))
    }
}

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
