/// What a replay selects: any combination of aggregate id, domain, event type, correlation id, time range,
/// stream sequence range and subject filters. Pure; ``ReplayPlan`` decides what the server filters.
public struct ReplaySelection: Sendable, Equatable {
    /// The aggregate id, as ``AggregateID`` finds it (subject token, header, payload field).
    public var aggregate: String?
    /// The `domain` label, as the monitor labels it (normalised).
    public var domain: String?
    /// The `event_type` label, as the monitor labels it (normalised).
    public var eventType: String?
    /// The correlation id, exactly.
    public var correlation: String?
    /// Unix seconds: store time at or after.
    public var since: Double?
    /// Unix seconds: store time at or before.
    public var until: Double?
    public var fromSequence: UInt64?
    public var toSequence: UInt64?
    /// NATS subject filters (wildcards allowed), given to the server.
    public var subjects: [String] = []

    public init() {}

    /// Rejects contradictions before anything touches the server.
    public func validate() throws(ReplayError) {
        if let since, let until, since > until { throw .sinceAfterUntil(since, until) }
        if let from = fromSequence, let to = toSequence, from > to { throw .fromAfterTo(from, to) }
        if fromSequence == 0 { throw ReplayError("--from-seq starts at 1") }
    }

    /// Whether the labels of the mapped event decide (domain, event type, correlation id).
    public var needsMapping: Bool { domain != nil || eventType != nil || correlation != nil }
}
