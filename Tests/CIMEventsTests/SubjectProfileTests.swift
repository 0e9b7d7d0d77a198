import Testing

@testable import CIMEvents

@Suite("Built-in cim profile: the nine subject rules")
struct SubjectProfileTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var subject: String
        var payload: String = "{}"
        var labels: (String, String, String)
        var testDescription: String { subject }
    }

    private static let typed = #"{"aggregate_type":"Order","event_type":"OrderPlaced"}"#

    @Test(
        "each rule takes its labels from the right tokens",
        arguments: [
            // 1: cim.{domain}.events.{aggregate}.{event}
            Case(subject: "cim.graph.events.structure.node_added", payload: typed, labels: ("graph", "structure", "node_added")),
            // 2: cim.{domain}.events.{event}: aggregate from the payload
            Case(subject: "cim.dialog.events.turn_completed", payload: typed, labels: ("dialog", "order", "turn_completed")),
            Case(subject: "cim.dialog.events.turn_completed", labels: ("dialog", "unknown", "turn_completed")),
            // 3: events.workflow.{workflow_id}.{event}
            Case(subject: "events.workflow.abc.workflowstarted", payload: typed, labels: ("workflow", "workflow", "workflowstarted")),
            // 4: events.{AggregateType}.{aggregate_id}: aggregate from payload else t1, event from payload
            Case(subject: "events.Person.6f1c2d3e-0000-4000-8000-00000000abcd", payload: typed, labels: ("person", "order", "order_placed")),
            Case(subject: "events.Person.6f1c2d3e-0000-4000-8000-00000000abcd", labels: ("person", "person", "unknown")),
            // 5: {domain}.events.{aggregate}.{aggregate_id}.{event}
            Case(subject: "agent.events.agent.2c9a0000-0000-4000-8000-000000000042.deployed", payload: typed, labels: ("agent", "agent", "deployed")),
            // 6: {domain}.events.{aggregate}.{event}
            Case(subject: "orchestration.events.workflow.completed", payload: typed, labels: ("orchestration", "workflow", "completed")),
            // 7: {context}.{aggregate}.{event}.v{N}
            Case(subject: "people.person.registered.v1", payload: typed, labels: ("people", "person", "registered")),
            Case(subject: "workflows.workflow.failed.v12", labels: ("workflows", "workflow", "failed")),
            // 8: cim.{domain}.… (3+ tokens)
            Case(subject: "cim.ui.agent.error", payload: typed, labels: ("ui", "agent", "error")),
            Case(subject: "cim.inventory.item_restocked", payload: typed, labels: ("inventory", "order", "item_restocked")),
            Case(
                subject: "cim.workflow.instance.lifecycle.created.6f1c2d3e-0000-4000-8000-00000000abcd",
                labels: ("workflow", "instance", "unknown")
            ),
            Case(subject: "cim.agent.alchemist.events.deployed.extra", labels: ("agent", "alchemist", "extra")),
            // 9: anything else
            Case(subject: "infrastructure.compute.registered", payload: typed, labels: ("infrastructure", "compute", "registered")),
            Case(subject: "agent.analysis_failed", payload: typed, labels: ("agent", "order", "analysis_failed")),
            Case(subject: "bridge.event.query.failed", labels: ("bridge", "event", "failed")),
            Case(subject: "people.person.registered.vx", labels: ("people", "person", "vx")),
            Case(subject: "people.person.registered.V1", labels: ("people", "person", "v1")),
            Case(subject: "heartbeat", labels: ("heartbeat", "unknown", "heartbeat")),
            Case(subject: "cim.x", labels: ("cim", "unknown", "x")),
            Case(subject: "", labels: ("unknown", "unknown", "unknown")),
            Case(subject: "a..b", labels: ("a", "unknown", "b")),
            Case(subject: "CIM.graph.events.structure.node_added", labels: ("cim", "graph", "node_added")),
        ]
    )
    func rules(_ c: Case) {
        let event = mapEvent(c.subject, payload: c.payload)
        #expect(event.domain == c.labels.0)
        #expect(event.aggregateType == c.labels.1)
        #expect(event.eventType == c.labels.2)
    }

    @Test("the first matching rule wins")
    func firstMatchWins() {
        // Shapes 1 and 5 both fit; 1 comes first.
        let event = mapEvent("cim.events.events.a.b")
        #expect((event.domain, event.aggregateType, event.eventType) == ("events", "a", "b"))
        // Shapes 3 and 6 both fit; 3 comes first.
        let workflow = mapEvent("events.workflow.x.done")
        #expect((workflow.domain, workflow.aggregateType) == ("workflow", "workflow"))
    }

    @Test(
        "the payload's event type is the first of event_type, type, payload_type, then a tag",
        arguments: [
            (#"{"event_type":"A","type":"B","payload_metadata":{"payload_type":"C"},"event":{"D":{}}}"#, "a"),
            (#"{"type":"B","payload_metadata":{"payload_type":"C"},"event":{"D":{}}}"#, "b"),
            (#"{"payload_metadata":{"payload_type":"C"},"event":{"D":{}}}"#, "c"),
            (#"{"payload_metadata":{"payload_type":""},"event":{"D":{}}}"#, "d"),
            (#"{"stored_event":{"event":{"E":{"x":1}}},"event":{"D":{}}}"#, "e"),
            (#"{"event":{"D":{}},"other":1}"#, "d"),
            (#"{"PersonNameChanged":{"old":"A"}}"#, "person_name_changed"),
            (#"{"PersonNameChanged":"not an object"}"#, "unknown"),
            (#"{"A":{},"B":{}}"#, "unknown"),
            (#"{"event":{"A":{},"B":{}},"v":1}"#, "unknown"),
            (#"{"event":{"A":{},"B":{}}}"#, "event"),  // the top level is then the single-key object
            (#"{"event_type":"","type":"B"}"#, "b"),
            (#"{"event_type":42,"type":"B"}"#, "b"),
            (#"{"payload":{"event_type":"Nested"},"v":1}"#, "unknown"),
            ("{}", "unknown"),
        ]
    )
    func payloadEventType(_ payload: String, _ expected: String) {
        #expect(mapEvent("events.Order.1", payload: payload).eventType == expected)
    }

    @Test(
        "the payload's aggregate type is aggregate_type, else stored_event.aggregate_type",
        arguments: [
            (#"{"aggregate_type":"Order","stored_event":{"aggregate_type":"Person"}}"#, "order"),
            (#"{"stored_event":{"aggregate_type":"Person"}}"#, "person"),
            (#"{"payload":{"aggregate_type":"Nested"}}"#, "unknown"),
        ]
    )
    func payloadAggregateType(_ payload: String, _ expected: String) {
        #expect(mapEvent("cim.shop.events.placed", payload: payload).aggregateType == expected)
    }
}
