import Testing

@testable import CIMEvents

@Suite("Event, correlation and causation ids")
struct IDTests {
    @Test(
        "the correlation id comes in every form and from every place",
        arguments: [
            (#"{"correlation_id":"c-1"}"#, "c-1" as String?),
            (#"{"correlation_id":{"kind":"Single","value":"c-1"}}"#, "c-1"),
            (#"{"correlation_id":{"kind":"Transaction","value":"c-1"}}"#, "c-1"),
            (#"{"correlation_id":{"Uuid":"c-1"}}"#, "c-1"),
            (#"{"correlation_id":{"Cid":"bafy-1"}}"#, "bafy-1"),
            (#"{"metadata":{"correlation_id":"c-1"}}"#, "c-1"),
            (#"{"metadata":{"correlation_id":{"Uuid":"c-1"}}}"#, "c-1"),
            (#"{"stored_event":{"metadata":{"correlation_id":"c-1"}}}"#, "c-1"),
            (#"{"correlation_id":"top","metadata":{"correlation_id":"meta"},"stored_event":{"metadata":{"correlation_id":"stored"}}}"#, "top"),
            (#"{"metadata":{"correlation_id":"meta"},"stored_event":{"metadata":{"correlation_id":"stored"}}}"#, "meta"),
            (#"{"correlation_id":null,"metadata":{"correlation_id":"meta"}}"#, "meta"),
            (#"{"correlation_id":{"kind":"Single"}}"#, nil),
            (#"{"correlation_id":42}"#, nil),
            (#"{"payload":{"correlation_id":"nested"}}"#, nil),
        ]
    )
    func correlation(_ payload: String, _ expected: String?) {
        #expect(mapEvent("cim.d.events.a.b", payload: payload).correlationID == expected)
    }

    @Test("the causation id mirrors the correlation id's sources")
    func causation() {
        #expect(mapEvent("a.b", payload: #"{"causation_id":"k-1"}"#).causationID == "k-1")
        #expect(mapEvent("a.b", payload: #"{"causation_id":{"Uuid":"k-1"}}"#).causationID == "k-1")
        #expect(mapEvent("a.b", payload: #"{"stored_event":{"metadata":{"causation_id":"k-1"}}}"#).causationID == "k-1")
        #expect(mapEvent("a.b", payload: #"{"causation_id":null}"#).causationID == nil)
    }

    @Test("the event id is event_id, else stored_event.event_id; last duplicate key wins")
    func eventID() {
        #expect(mapEvent("a.b", payload: #"{"event_id":"top","stored_event":{"event_id":"stored"}}"#).id == "top")
        #expect(mapEvent("a.b", payload: #"{"stored_event":{"event_id":"stored"}}"#).id == "stored")
        #expect(mapEvent("a.b", payload: #"{"event_id":"first","event_id":"second"}"#).id == "second")
        #expect(mapEvent("a.b", payload: #"{"message_id":"m","id":"i"}"#).id == nil)
    }
}
