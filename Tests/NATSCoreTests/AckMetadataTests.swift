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

@Suite struct AckMetadataKnownNamesTests {
    let subject = "$JS.ACK.CIM_EVENTS.Xq9dRWqHuGRaLl0fL3Jm2c_1.1.1234.17.1751741517250000000.99"

    @Test func takesTheKnownNamesWhenTheSubjectHasThem() throws {
        let known = try #require(AckMetadata(replySubject: subject, knownStream: "CIM_EVENTS", knownConsumer: "Xq9dRWqHuGRaLl0fL3Jm2c_1"))
        #expect(known == AckMetadata(replySubject: subject))
        #expect(known.consumer == "Xq9dRWqHuGRaLl0fL3Jm2c_1" && known.streamSequence == 1234)
    }

    @Test(arguments: [
        ("CIM_EVENTS", "Xq9dRWqHuGRaLl0fL3Jm2c_2"), ("CIM_EVENTZ", "Xq9dRWqHuGRaLl0fL3Jm2c_"), ("", ""), ("CIM_EVENTS.Xq9dRWqHuGRaLl0fL3Jm2c_1", "1"),
    ])
    func readsOtherNamesFromTheSubject(stream: String, consumer: String) throws {
        let metadata = try #require(AckMetadata(replySubject: subject, knownStream: stream, knownConsumer: consumer))
        #expect(metadata.stream == "CIM_EVENTS" && metadata.consumer == "Xq9dRWqHuGRaLl0fL3Jm2c_1")
    }

    @Test(arguments: [
        "$JS.ACK.CIM_EVENTS.C.1.2.3.18446744073709551616.5", "$JS.ACK.CIM_EVENTS.C.1.2.3.4", "$JS.ACK.CIM_EVENTS.C.1.2.3.4.",
        "$JS.ACK.CIM_EVENTS.C.1.2.-3.4.5",
    ])
    func refusesHostileSubjectsWithKnownNamesToo(_ hostile: String) {
        #expect(AckMetadata(replySubject: hostile, knownStream: "CIM_EVENTS", knownConsumer: "C") == nil)
    }
}
