import Testing

@testable import CIMEvents

@Suite("Schema violations: every message is still an event")
struct ViolationTests {
    @Test(
        "a bad payload records its reason and keeps the subject's labels",
        arguments: [
            ([], "empty"),
            (Array("{\"a\":".utf8), "invalid_json"),
            (Array("  ".utf8), "invalid_json"),
            (Array("[1,2]".utf8), "not_object"),
            (Array("\"text\"".utf8), "not_object"),
            ([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D], "invalid_utf8"),
            ([0xFF, 0xFE], "invalid_utf8"),
            ([0x7B, 0xC3, 0x28], "invalid_utf8"),  // invalid UTF-8 wins over invalid JSON
        ] as [([UInt8], String)]
    )
    func badPayload(_ payload: [UInt8], _ reason: String) {
        var mapper = EventMapper()
        let event = mapper.map(subject: "cim.graph.events.structure.node_added", headers: [("X-Event-ID", "e-1")], payload: payload)
        #expect(event.violations.reasons == [reason])
        #expect((event.domain, event.aggregateType, event.eventType) == ("graph", "structure", "node_added"))
        #expect(event.id == "e-1")
        #expect(event.time == nil)
    }

    @Test("a payload over the limit is too_large and is not read")
    func tooLarge() {
        var mapper = EventMapper(maxPayloadBytes: 16)
        let big = mapper.map(subject: "events.Order.1", headers: [], payload: Array(#"{"event_type":"OrderPlaced"}"#.utf8))
        #expect(big.violations == .tooLarge)
        #expect(big.eventType == "unknown")
        let fits = mapper.map(subject: "events.Order.1", headers: [], payload: Array(#"{"type":"A"}"#.utf8))
        #expect(fits.violations.isEmpty)
        #expect(fits.eventType == "a")
    }

    @Test("the default limit is 1 MiB")
    func defaultLimit() {
        let body = #"{"pad":""# + String(repeating: "x", count: (1 << 20) - 10) + #""}"#
        var mapper = EventMapper()
        #expect(mapper.maxPayloadBytes == 1 << 20)
        #expect(mapper.map(subject: "a.b", headers: [], payload: Array(body.utf8)).violations.isEmpty)
        #expect(mapper.map(subject: "a.b", headers: [], payload: Array((body + " ").utf8)).violations == .tooLarge)
    }

    @Test("an invalid document's fields are not used, even those before the error")
    func invalidDocumentFieldsIgnored() {
        let event = mapEvent("events.Order.1", payload: #"{"event_type":"OrderPlaced","event_id":"e","timestamp":1,"x":}"#)
        #expect(event.eventType == "unknown")
        #expect(event.id == nil)
        #expect(event.time == nil)
        #expect(event.violations == .invalidJSON)
    }
}
