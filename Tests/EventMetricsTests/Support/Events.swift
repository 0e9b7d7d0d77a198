import CIMEvents

@testable import EventMetrics

/// A small event factory: labels first, everything else optional.
func event(
    _ domain: String,
    _ aggregateType: String,
    _ eventType: String,
    time: Double? = nil,
    id: String? = nil,
    failed: Bool = false,
    errorType: String? = nil,
    violations: SchemaViolations = []
) -> Event {
    Event(
        domain: domain,
        aggregateType: aggregateType,
        eventType: eventType,
        time: time,
        id: id,
        failed: failed,
        errorType: errorType,
        violations: violations
    )
}

extension MetricsFold {
    /// Folds events with consecutive sequences starting after ``lastSequence``.
    mutating func fold(_ events: [Event], storedAt: Double? = nil) {
        for event in events { fold(event, storedAt: storedAt, sequence: lastSequence + 1) }
    }

    /// The value of one series of one family, by its labels; `nil` when the series does not exist.
    func value(_ family: String, _ labels: KeyValuePairs<String, String>) -> MetricValue? {
        let wanted = labels.map { MetricLabel($0.key, $0.value) }
        return families().first { $0.name == family }?.series.first { $0.labels == wanted }?.value
    }

    /// The count of one counter series; `nil` when the series does not exist.
    func count(_ family: String, _ labels: KeyValuePairs<String, String>) -> UInt64? {
        guard case .count(let count) = value(family, labels) else { return nil }
        return count
    }

    /// The number of series of a family.
    func seriesCount(_ family: String) -> Int {
        families().first { $0.name == family }?.series.count ?? -1
    }

    /// Renders the fold's families.
    func text(_ format: ExpositionFormat) throws -> String {
        try format.renderString(families())
    }
}
