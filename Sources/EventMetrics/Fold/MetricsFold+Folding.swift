import CIMEvents

extension MetricsFold {
    /// Folds one message's event.
    ///
    /// Counts it in `cim_events_total` (every message exactly once, duplicates included) and
    /// `cim_monitor_events_processed_total`; a failure also in `cim_events_failed_total` (error type
    /// `unknown` when it has none); each schema violation in `cim_event_schema_violations_total`; an id
    /// already in the duplicate window in `cim_event_duplicates_total`. With an event time in
    /// ``EventTimeWindow`` (relative to `storedAt`) it moves `cim_event_last_timestamp_seconds` forward, and
    /// with a finite `storedAt` too it observes `storedAt - time` (negative clamped to 0) in
    /// `cim_event_publish_delay_seconds`. An event time outside the window is not used and counts as the
    /// violation `timestamp_out_of_range` (the mapper already drops such times; this guards other callers).
    ///
    /// - Parameters:
    ///   - event: the mapped event.
    ///   - storedAt: the JetStream store time of the message in unix seconds, if known.
    ///   - sequence: the stream sequence of the message; remembered as ``lastSequence``.
    public mutating func fold(_ event: Event, storedAt: Double?, sequence: UInt64) {
        eventsProcessed &+= 1
        lastSequence = sequence

        let series: Int
        let domain: Int
        if let index = labelCache.series(event.domain, event.aggregateType, event.eventType) {
            series = Int(index)
            domain = Int(eventsSeries[series].domain)
        } else {
            let key = EventsKey(domain: event.domain, aggregateType: event.aggregateType, eventType: event.eventType)
            if let index = eventsIndex[key] {
                labelCache.store(key, series: index)
                series = Int(index)
                domain = Int(eventsSeries[series].domain)
            } else {
                (series, domain) = resolveEventsSeries(event)
            }
        }
        eventsSeries[series].count &+= 1
        if eventsSeries[series].overflowing { overflows[EventFamily.events.rawValue] &+= 1 }

        let domainOverflows = domain == Int(domains.overflowID)
        domainStates[domain].folded = true

        if event.failed { countFailure(eventsSeries: series, errorType: event.errorType ?? "unknown") }

        var eventViolations = event.violations
        var eventTime = event.time
        if let time = eventTime, !EventTimeWindow.contains(time, reference: storedAt) {
            eventTime = nil
            eventViolations.insert(.timestampOutOfRange)
        }
        if !eventViolations.isEmpty {
            var bits = eventViolations.rawValue
            while bits != 0 {
                violations[domain &* Self.violationBits &+ bits.trailingZeroBitCount] &+= 1
                bits &= bits &- 1
            }
            if domainOverflows { overflows[EventFamily.violations.rawValue] &+= 1 }
        }

        if let id = event.id, duplicateWindow.insert(id: id) {
            domainStates[domain].duplicates &+= 1
            if domainOverflows { overflows[EventFamily.duplicates.rawValue] &+= 1 }
        }

        if let time = eventTime {
            if time > domainStates[domain].lastTimestamp { domainStates[domain].lastTimestamp = time }
            if domainOverflows { overflows[EventFamily.lastTimestamp.rawValue] &+= 1 }
            if let storedAt, storedAt.isFinite {
                publishDelay.observe(max(0, storedAt - time), domain: domain)
                if domainOverflows { overflows[EventFamily.publishDelay.rawValue] &+= 1 }
            }
        }
    }

    /// Observes the lag of a live event (event time to now, in seconds) in `cim_event_lag_seconds{domain}`.
    ///
    /// A negative lag (clock skew) counts as 0; NaN and infinities are ignored.
    public mutating func observeLag(_ seconds: Double, domain: String) {
        guard seconds.isFinite else { return }
        let (id, overflowed) = domains.resolve(domain, limit: limits.domain)
        growDomains()
        lag.observe(max(0, seconds), domain: Int(id))
        if overflowed || id == domains.overflowID { overflows[EventFamily.lag.rawValue] &+= 1 }
    }

    /// The slow path of ``fold(_:storedAt:sequence:)``: admits the labels, finds or creates the series.
    ///
    /// Returns the series and the domain id of the event (which differs from the series' domain when the
    /// series cap sent the event to the all-`__overflow__` series).
    private mutating func resolveEventsSeries(_ event: Event) -> (series: Int, domain: Int) {
        let domain = domains.resolve(event.domain, limit: limits.domain)
        let aggregateType = aggregateTypes.resolve(event.aggregateType, limit: limits.aggregateType)
        let eventType = eventTypes.resolve(event.eventType, limit: limits.eventType)
        growDomains()
        let key = EventsKey(domain: domains[domain.id], aggregateType: aggregateTypes[aggregateType.id], eventType: eventTypes[eventType.id])
        if let index = eventsIndex[key] { return (Int(index), Int(domain.id)) }

        let overflowing = domain.id == domains.overflowID || aggregateType.id == aggregateTypes.overflowID || eventType.id == eventTypes.overflowID
        if eventsSeries.count < limits.seriesPerFamily - (eventsOverflowSeries < 0 ? 1 : 0) {
            let record = EventsSeries(domain: domain.id, aggregateType: aggregateType.id, eventType: eventType.id, overflowing: overflowing, count: 0)
            return (Int(appendEventsSeries(record, key: key)), Int(domain.id))
        }
        return (Int(allOverflowEventsSeries()), Int(domain.id))
    }

    /// The all-`__overflow__` events series, created when missing.
    private mutating func allOverflowEventsSeries() -> Int32 {
        if eventsOverflowSeries >= 0 { return eventsOverflowSeries }
        let record = EventsSeries(
            domain: domains.overflow(),
            aggregateType: aggregateTypes.overflow(),
            eventType: eventTypes.overflow(),
            overflowing: true,
            count: 0
        )
        growDomains()
        let key = EventsKey(
            domain: domains[record.domain],
            aggregateType: aggregateTypes[record.aggregateType],
            eventType: eventTypes[record.eventType]
        )
        if let existing = eventsIndex[key] {
            eventsOverflowSeries = existing
        } else {
            eventsOverflowSeries = appendEventsSeries(record, key: key)
        }
        return eventsOverflowSeries
    }

    @discardableResult
    mutating func appendEventsSeries(_ record: EventsSeries, key: EventsKey) -> Int32 {
        let index = Int32(eventsSeries.count)
        eventsSeries.append(record)
        eventsIndex[key] = index
        if record.domain == domains.overflowID && record.aggregateType == aggregateTypes.overflowID && record.eventType == eventTypes.overflowID {
            eventsOverflowSeries = index
        }
        return index
    }

    private mutating func countFailure(eventsSeries series: Int, errorType: String) {
        let index: Int
        if let found = failuresIndex[FailuresKey(eventsSeries: Int32(series), errorType: errorType)] {
            index = Int(found)
        } else {
            index = resolveFailuresSeries(eventsSeries: series, errorType: errorType)
        }
        failuresSeries[index].count &+= 1
        if failuresSeries[index].overflowing { overflows[EventFamily.failures.rawValue] &+= 1 }
    }

    private mutating func resolveFailuresSeries(eventsSeries series: Int, errorType: String) -> Int {
        let error = errorTypes.resolve(errorType, limit: limits.errorType)
        if Int32(series) == eventsOverflowSeries && error.id == errorTypes.overflowID { return Int(allOverflowFailuresSeries()) }
        let key = FailuresKey(eventsSeries: Int32(series), errorType: errorTypes[error.id])
        if let index = failuresIndex[key] { return Int(index) }
        guard failuresSeries.count < limits.seriesPerFamily - (failuresOverflowSeries < 0 ? 1 : 0) else {
            return Int(allOverflowFailuresSeries())
        }
        let overflowing = eventsSeries[series].overflowing || error.id == errorTypes.overflowID
        let record = FailuresSeries(eventsSeries: Int32(series), errorType: error.id, overflowing: overflowing, count: 0)
        return Int(appendFailuresSeries(record, key: key))
    }

    /// The failures series whose labels are all `__overflow__` (events series -1), created when missing.
    private mutating func allOverflowFailuresSeries() -> Int32 {
        if failuresOverflowSeries >= 0 { return failuresOverflowSeries }
        _ = (domains.overflow(), aggregateTypes.overflow(), eventTypes.overflow())
        growDomains()
        let error = errorTypes.overflow()
        let record = FailuresSeries(eventsSeries: -1, errorType: error, overflowing: true, count: 0)
        return appendFailuresSeries(record, key: FailuresKey(eventsSeries: -1, errorType: errorTypes[error]))
    }

    @discardableResult
    mutating func appendFailuresSeries(_ record: FailuresSeries, key: FailuresKey) -> Int32 {
        let index = Int32(failuresSeries.count)
        failuresSeries.append(record)
        failuresIndex[key] = index
        if record.eventsSeries < 0 { failuresOverflowSeries = index }
        return index
    }
}
