import CIMEvents
import CIMSimulation

/// An event drawn from a small vocabulary, with ids that repeat sometimes, failures and violations.
func randomEvent(using generator: inout SplitMix64) -> Event {
    let domains = ["orders", "billing", "inventory", "agents", "workflow"]
    let aggregates = ["order", "invoice", "item", "agent", "workflow"]
    let types = ["created", "updated", "deleted", "order_failed", "allocation_failed", "timed_out"]
    let type = types.randomElement(using: &generator)!
    let failed = type.contains("failed") || type.contains("timed_out")
    let hasTime = Int.random(in: 0..<10, using: &generator) > 0
    return Event(
        domain: domains.randomElement(using: &generator)!,
        aggregateType: aggregates.randomElement(using: &generator)!,
        eventType: type,
        time: hasTime ? Double(Int.random(in: 1_700_000_000_000...1_700_000_100_000, using: &generator)) / 1000 : nil,
        id: Bool.random(using: &generator) ? "id-\(Int.random(in: 0..<500, using: &generator))" : nil,
        failed: failed,
        errorType: failed ? ["card_declined", "timeout", "unknown"].randomElement(using: &generator) : nil,
        violations: Int.random(in: 0..<20, using: &generator) == 0 ? SchemaViolations(rawValue: UInt8.random(in: 1...63, using: &generator)) : []
    )
}
