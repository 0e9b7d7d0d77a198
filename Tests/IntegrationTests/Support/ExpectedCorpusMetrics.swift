import NATSTestSupport

extension CorpusLine {
    /// Stream subjects that cover every corpus subject: `<first token>.>` for each first token.
    static func streamSubjects(_ messages: [CorpusLine]) -> [String] {
        Set(messages.map { "\($0.subject.split(separator: ".", omittingEmptySubsequences: false)[0]).>" }).sorted()
    }
}

/// What the corpus says the metrics must hold, keyed by the label values joined with `|`.
struct ExpectedCorpusMetrics: Equatable {
    /// `cim_events_total{domain, aggregate_type, event_type}`
    var events: [String: UInt64] = [:]
    /// `cim_events_failed_total{domain, aggregate_type, event_type, error_type}`
    var failures: [String: UInt64] = [:]
    /// `cim_event_schema_violations_total{domain, reason}`
    var violations: [String: UInt64] = [:]
    /// Events with an event time, by domain (`cim_event_publish_delay_seconds_count{domain}`).
    var timedEvents: [String: UInt64] = [:]
    /// The newest event time, by domain (`cim_event_last_timestamp_seconds{domain}`).
    var lastTimestamps: [String: Double] = [:]

    init() {}

    init(_ messages: [CorpusLine]) {
        for line in messages {
            let message = line.expect
            events[Self.key(message.domain, message.aggregateType, message.eventType), default: 0] += 1
            if message.failed {
                failures[Self.key(message.domain, message.aggregateType, message.eventType, message.errorType ?? "unknown"), default: 0] += 1
            }
            if let violation = message.violation { violations[Self.key(message.domain, violation), default: 0] += 1 }
            if let time = message.eventTime {
                timedEvents[message.domain, default: 0] += 1
                lastTimestamps[message.domain] = max(lastTimestamps[message.domain] ?? -.infinity, time)
            }
        }
    }

    static func key(_ values: String...) -> String { values.joined(separator: "|") }
}
