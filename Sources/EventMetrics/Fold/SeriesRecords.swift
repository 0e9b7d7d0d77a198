/// The label values of a `cim_events_total` series; the key of the series index.
///
/// Looked up with the event's own label strings: the mapper interns them, so a hit costs one hash of
/// three short strings and a pointer-equal comparison.
struct EventsKey: Hashable, Sendable {
    var domain: String
    var aggregateType: String
    var eventType: String
}

/// One `cim_events_total` series: label ids and the count.
struct EventsSeries: Sendable, Equatable {
    var domain: Int32
    var aggregateType: Int32
    var eventType: Int32
    /// Whether a label of the series is `__overflow__`.
    var overflowing: Bool
    var count: UInt64
}

/// The key of a `cim_events_failed_total` series: its events series and its error type.
///
/// The events series -1 stands for the series whose labels are all `__overflow__`, which has no events series
/// of its own (the events family need not have an all-`__overflow__` series).
struct FailuresKey: Hashable, Sendable {
    var eventsSeries: Int32
    var errorType: String
}

/// One `cim_events_failed_total` series.
struct FailuresSeries: Sendable, Equatable {
    /// The events series whose labels it shares; -1 for the all-`__overflow__` series.
    var eventsSeries: Int32
    var errorType: Int32
    var overflowing: Bool
    var count: UInt64
}

/// The per-domain state of the single-label families.
struct DomainState: Sendable, Equatable {
    /// Whether an event of this domain has been folded (its duplicates series exists from then on, at 0).
    var folded = false
    var duplicates: UInt64 = 0
    /// The newest event time; `-infinity` while none was seen.
    var lastTimestamp = -Double.infinity
}
