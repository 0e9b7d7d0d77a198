extension SimulatedWorkload {
    /// A message whose payload breaks the schema, on an ordinary graph subject (it is still counted, with
    /// its labels from the subject, and adds a schema violation).
    mutating func malformed(at time: SimulatedTimestamp) -> SimulatedMessage {
        let event = random.pick(["node_added", "edge_added", "node_moved"])
        let id = SimulatedJSON.string(newID(at: time))
        let payload: [UInt8]
        switch random.below(5) {
        case 0:
            let whole: SimulatedJSON = ["event_id": id, "occurred_at": .string(time.rfc3339()), "payload": ["node_id": "n-17"]]
            payload = Array(whole.bytes.prefix(40))  // truncated in flight
        case 1: payload = SimulatedJSON.array(["node_added", id]).bytes
        case 2: payload = []
        case 3: payload = Array(#"{"label":""#.utf8) + [0xFF, 0xFE] + Array(#" bad"}"#.utf8)
        default: payload = SimulatedJSON(dictionaryLiteral: ("event_id", id), ("occurred_at", "yesterday at noon")).bytes
        }
        return SimulatedMessage(subject: "cim.graph.events.structure.\(event)", payload: payload, kind: .malformed)
    }
}
