import Testing

@testable import CIMEvents

@Suite("Headers: names, aliases and precedence over the payload")
struct HeaderTests {
    private let payload =
        #"{"event_id":"p-id","correlation_id":"p-corr","causation_id":"p-cause","event_type":"PayloadType","error_type":"PayloadError"}"#

    @Test("header values win over payload fields")
    func headersWin() {
        let event = mapEvent(
            "events.Order.1",
            headers: [
                ("Nats-Msg-Id", "h-id"), ("X-Correlation-ID", "h-corr"), ("X-Causation-ID", "h-cause"), ("X-Event-Type", "OrderFailed"),
                ("X-Error-Type", "Timeout"),
            ],
            payload: payload
        )
        #expect(event.id == "h-id")
        #expect(event.correlationID == "h-corr")
        #expect(event.causationID == "h-cause")
        #expect(event.eventType == "order_failed")
        #expect(event.errorType == "timeout")
    }

    @Test("X-Event-Type wins over every subject rule")
    func eventTypeHeaderWinsOverSubject() {
        let event = mapEvent("cim.graph.events.structure.node_added", headers: [("X-Event-Type", "NodeRemoved")])
        #expect(event.eventType == "node_removed")
        #expect(mapEvent("cim.graph.events.structure.node_added", headers: [("CIM-Event-Type", "NodeMoved")]).eventType == "node_moved")
    }

    @Test(
        "names are case-insensitive and every alias is read",
        arguments: [
            ("nats-msg-id", "id"), ("X-MESSAGE-ID", "id"), ("x-event-id", "id"),
            ("x-correlation-id", "correlation"), ("Correlation-Id", "correlation"), ("cim-correlation-id", "correlation"),
            ("X-CAUSATION-ID", "causation"), ("CIM-Causation-Id", "causation"),
        ]
    )
    func aliases(_ name: String, _ fact: String) {
        let event = mapEvent("cim.d.events.a.b", headers: [(name, "v-1")], payload: "{}")
        switch fact {
        case "id": #expect(event.id == "v-1")
        case "correlation": #expect(event.correlationID == "v-1")
        default: #expect(event.causationID == "v-1")
        }
    }

    @Test("the alias listed first in the spec wins, whatever the order on the wire")
    func aliasPrecedence() {
        let event = mapEvent(
            "cim.d.events.a.b",
            headers: [
                ("X-Event-ID", "third"), ("X-Message-ID", "second"), ("Nats-Msg-Id", "first"),
                ("CIM-Correlation-Id", "c3"), ("Correlation-Id", "c2"), ("X-Correlation-ID", "c1"),
                ("CIM-Causation-Id", "k2"), ("X-Causation-ID", "k1"),
                ("CIM-Event-Type", "Second"), ("X-Event-Type", "First"),
            ],
            payload: "{}"
        )
        #expect(event.id == "first")
        #expect(event.correlationID == "c1")
        #expect(event.causationID == "k1")
        #expect(event.eventType == "first")
    }

    @Test("a repeated header keeps its first value; empty values are ignored")
    func repeatedAndEmpty() {
        let event = mapEvent(
            "cim.d.events.a.b",
            headers: [("Nats-Msg-Id", "one"), ("Nats-Msg-Id", "two"), ("X-Correlation-ID", "  ")],
            payload: payload
        )
        #expect(event.id == "one")
        #expect(event.correlationID == "p-corr")
    }

    @Test("a raw block with a status line, odd spacing and bare LF line ends is read")
    func rawBlockForms() {
        let blocks = [
            "NATS/1.0 503 No Responders\r\nX-Event-ID:  id-1 \r\nX-Custom: a:b\r\n\r\n",
            "NATS/1.0\r\nX-Event-ID:\tid-1\t\r\n\r\n",
            "NATS/1.0\nX-Event-ID: id-1\n\n",
            "NATS/1.0\r\nno colon line\r\nX-Event-ID: id-1\r\n\r\n",
            "NATS/1.0\r\nX-Event-ID: id-1",
        ]
        for block in blocks {
            var mapper = EventMapper()
            let event = mapRaw(Array("cim.d.events.a.b".utf8), headerBlock: Array(block.utf8), payload: Array("{}".utf8), mapper: &mapper)
            #expect(event.id == "id-1", "\(block.debugDescription)")
        }
    }

    @Test("headers after the blank line are not headers")
    func stopsAtBlankLine() {
        var mapper = EventMapper()
        let block = Array("NATS/1.0\r\n\r\nX-Event-ID: late\r\n".utf8)
        #expect(mapRaw(Array("a.b".utf8), headerBlock: block, payload: Array("{}".utf8), mapper: &mapper).id == nil)
    }

    @Test("header values are never labels unless normalised: an id-like X-Event-Type is unknown")
    func idLikeEventTypeHeader() {
        #expect(mapEvent("cim.d.events.a.b", headers: [("X-Event-Type", "6f1c2d3e-0000-4000-8000-00000000abcd")]).eventType == "unknown")
    }
}
