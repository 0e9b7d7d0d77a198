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
