/// The event-derived families of the fold, in the order of their overflow counters.
enum EventFamily: Int, CaseIterable, Sendable {
    case events, failures, violations, duplicates, lag, publishDelay, lastTimestamp

    /// The metric name, which is also the `family` label value of the monitor's series metrics.
    var name: String {
        switch self {
        case .events: "cim_events_total"
        case .failures: "cim_events_failed_total"
        case .violations: "cim_event_schema_violations_total"
        case .duplicates: "cim_event_duplicates_total"
        case .lag: "cim_event_lag_seconds"
        case .publishDelay: "cim_event_publish_delay_seconds"
        case .lastTimestamp: "cim_event_last_timestamp_seconds"
        }
    }
}
