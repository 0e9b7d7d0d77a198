import CIMEvents

extension MetricsFold {
    /// The reason label of each ``SchemaViolations`` bit; `unknown` for a bit without a name.
    static let violationReasons: [String] = (0..<violationBits).map { bit in
        SchemaViolations.all.first { $0.0.rawValue == 1 << bit }?.1 ?? "unknown"
    }

    /// The fold's metric families, ready for ``ExpositionFormat/render(_:)`` together with other families.
    ///
    /// Every family is present with its metadata even without series. `cim_event_duplicates_total` has a
    /// series (at 0 until a duplicate) for every domain an event was folded for; the histograms and the
    /// last-timestamp gauge have one for every domain with an observation. `cim_monitor_series{family}`
    /// counts the series of each event family (label sets, not histogram lines), and
    /// `cim_monitor_series_overflow_total{family}` the events that were folded into an `__overflow__` series.
    public func families() -> [MetricFamily] {
        families(now: Self.wallClock())
    }

    /// The families with the `cim_gpu_*` families as of unix time `now` (which decides which GPUs are up).
    public func families(now: Double) -> [MetricFamily] {
        var result: [MetricFamily] = []
        result.reserveCapacity(10)
        let events = eventsSeries.map { record in
            MetricSeries(labels: eventsLabels(record), value: .count(record.count))
        }
        result.append(family(.events, "Events folded, by domain, aggregate type and event type; every message counts once.", .counter, events))

        let failures = failuresSeries.map { record in
            MetricSeries(
                labels: failuresLabels(record),
                value: .count(record.count)
            )
        }
        result.append(family(.failures, "Failed events, by domain, aggregate type, event type and error type.", .counter, failures))

        var violationSeries: [MetricSeries] = []
        var duplicates: [MetricSeries] = []
        var lastTimestamps: [MetricSeries] = []
        var delays: [MetricSeries] = []
        var lags: [MetricSeries] = []
        for (id, name) in domains.values.enumerated() {
            let domain = MetricLabel("domain", name)
            for bit in 0..<Self.violationBits where violations[id * Self.violationBits + bit] > 0 {
                let count = violations[id * Self.violationBits + bit]
                violationSeries.append(MetricSeries(labels: [domain, MetricLabel("reason", Self.violationReasons[bit])], value: .count(count)))
            }
            let state = domainStates[id]
            if state.folded { duplicates.append(MetricSeries(labels: [domain], value: .count(state.duplicates))) }
            if state.lastTimestamp.isFinite { lastTimestamps.append(MetricSeries(labels: [domain], value: .number(state.lastTimestamp))) }
            if let value = publishDelay.value(domain: id) { delays.append(MetricSeries(labels: [domain], value: .histogram(value))) }
            if let value = lag.value(domain: id) { lags.append(MetricSeries(labels: [domain], value: .histogram(value))) }
        }
        result.append(family(.violations, "Messages that violate the CIM event schema, by domain and reason.", .counter, violationSeries))
        result.append(family(.duplicates, "Events whose id was already seen within the recent duplicate window.", .counter, duplicates))
        result.append(family(.lag, "Time from event time to observation by the monitor, for live events.", .histogram, lags, unit: "seconds"))
        result.append(family(.publishDelay, "Time from event time to JetStream store time.", .histogram, delays, unit: "seconds"))
        result.append(family(.lastTimestamp, "Newest event time seen, in unix seconds.", .gauge, lastTimestamps, unit: "seconds"))

        let counts = [events.count, failures.count, violationSeries.count, duplicates.count, lags.count, delays.count, lastTimestamps.count]
        result.append(
            MetricFamily(
                unchecked: "cim_monitor_events_processed_total",
                help: "Messages folded into the event metrics.",
                type: .counter,
                unit: nil,
                series: [MetricSeries(value: .count(eventsProcessed))]
            )
        )
        result.append(
            MetricFamily(
                unchecked: "cim_monitor_series",
                help: "Series of each event metric family.",
                type: .gauge,
                unit: nil,
                series: EventFamily.allCases.map {
                    MetricSeries(labels: [MetricLabel("family", $0.name)], value: .count(UInt64(counts[$0.rawValue])))
                }
            )
        )
        result.append(
            MetricFamily(
                unchecked: "cim_monitor_series_overflow_total",
                help: "Events folded into an __overflow__ series of a family because a cardinality limit was reached.",
                type: .counter,
                unit: nil,
                series: EventFamily.allCases.map { MetricSeries(labels: [MetricLabel("family", $0.name)], value: .count(overflows[$0.rawValue])) }
            )
        )
        result.append(contentsOf: gpu.families(now: now))
        return result
    }

    private func eventsLabels(_ record: EventsSeries) -> [MetricLabel] {
        [
            MetricLabel("domain", domains[record.domain]),
            MetricLabel("aggregate_type", aggregateTypes[record.aggregateType]),
            MetricLabel("event_type", eventTypes[record.eventType]),
        ]
    }

    private func failuresLabels(_ record: FailuresSeries) -> [MetricLabel] {
        let events =
            record.eventsSeries >= 0
            ? eventsLabels(eventsSeries[Int(record.eventsSeries)])
            : [
                MetricLabel("domain", Self.overflowLabelValue), MetricLabel("aggregate_type", Self.overflowLabelValue),
                MetricLabel("event_type", Self.overflowLabelValue),
            ]
        return events + [MetricLabel("error_type", errorTypes[record.errorType])]
    }

    private func family(_ family: EventFamily, _ help: String, _ type: MetricType, _ series: [MetricSeries], unit: String? = nil) -> MetricFamily {
        MetricFamily(unchecked: family.name, help: help, type: type, unit: unit, series: series)
    }
}
