extension MetricsFold {
    /// Decodes a verified snapshot body (see ``SnapshotFormat``), checking every id, count and invariant.
    init(reading reader: inout SnapshotReader, version: UInt16) throws(SnapshotError) {
        var limitValues: [Int] = []
        for _ in 0..<5 {
            let value = try reader.readUInt64()
            guard value <= UInt64(Int32.max) else { throw SnapshotError(.malformed, "limit \(value) out of range") }
            limitValues.append(Int(value))
        }
        let capacity = try reader.readUInt64()
        guard capacity >= 1, capacity <= 1 << 30 else { throw SnapshotError(.malformed, "duplicate window capacity \(capacity)") }
        let delayBounds = try Self.readBounds(&reader, "publish delay")
        let lagBounds = try Self.readBounds(&reader, "lag")
        self.init(
            limits: CardinalityLimits(
                domain: limitValues[0],
                aggregateType: limitValues[1],
                eventType: limitValues[2],
                errorType: limitValues[3],
                seriesPerFamily: limitValues[4]
            ),
            publishDelayBuckets: delayBounds,
            lagBuckets: lagBounds,
            duplicateWindow: Int(capacity)
        )
        guard publishDelay.bounds == delayBounds, lag.bounds == lagBounds, limits.seriesPerFamily == limitValues[4] else {
            throw SnapshotError(.malformed, "bucket bounds or limits out of range")
        }
        eventsProcessed = try reader.readUInt64()
        lastSequence = try reader.readUInt64()
        guard try reader.readUInt32() == overflows.count else { throw SnapshotError(.malformed, "wrong number of overflow counters") }
        for index in overflows.indices { overflows[index] = try reader.readUInt64() }

        domains = try Self.readTable(&reader, "domain")
        aggregateTypes = try Self.readTable(&reader, "aggregate_type")
        eventTypes = try Self.readTable(&reader, "event_type")
        errorTypes = try Self.readTable(&reader, "error_type")
        growDomains()

        try readEventsSeries(&reader)
        try readFailuresSeries(&reader)
        try readDomainStates(&reader)
        try readViolations(&reader)
        publishDelay = try readHistograms(&reader, into: publishDelay, "publish delay")
        lag = try readHistograms(&reader, into: lag, "lag")

        let fingerprints = try reader.readCount(minimumSize: 8, "duplicate window")
        guard fingerprints <= duplicateWindow.capacity else { throw SnapshotError(.malformed, "duplicate window over its capacity") }
        for _ in 0..<fingerprints {
            guard !duplicateWindow.insert(fingerprint: try reader.readUInt64()) else {
                throw SnapshotError(.malformed, "duplicate window holds an id twice")
            }
        }
        if version >= 2 { try readStreamSection(&reader) }
        if version >= 3 {
            guard let state = GPUFold.decoded(try reader.readString("GPU state")) else {
                throw SnapshotError(.malformed, "the GPU state does not decode")
            }
            gpu = state
        }
    }

    /// The stream identity and the resets by reason (version 2).
    private mutating func readStreamSection(_ reader: inout SnapshotReader) throws(SnapshotError) {
        streamIdentity = try reader.readString("stream identity")
        let count = try reader.readCount(minimumSize: 12, "stream resets")
        var previous: String?
        for _ in 0..<count {
            let reason = try reader.readString("stream reset reason")
            let value = try reader.readUInt64()
            guard previous.map({ $0 < reason }) ?? true, value > 0 else {
                throw SnapshotError(.malformed, "stream resets are not sorted, repeat a reason or count 0")
            }
            streamResets[reason] = value
            previous = reason
        }
    }

    private static func readBounds(_ reader: inout SnapshotReader, _ what: String) throws(SnapshotError) -> [Double] {
        let count = try reader.readCount(minimumSize: 8, "\(what) bounds")
        var bounds: [Double] = []
        for _ in 0..<count { bounds.append(try reader.readDouble()) }
        return bounds
    }

    private static func readTable(_ reader: inout SnapshotReader, _ what: String) throws(SnapshotError) -> LabelValueTable {
        let count = try reader.readCount(minimumSize: 4, "\(what) values")
        var table = LabelValueTable()
        for _ in 0..<count {
            guard table.appendNew(try reader.readString("\(what) value")) != nil else {
                throw SnapshotError(.malformed, "\(what) value listed twice")
            }
        }
        return table
    }

    private mutating func readEventsSeries(_ reader: inout SnapshotReader) throws(SnapshotError) {
        let count = try reader.readCount(minimumSize: 20, "events series")
        for _ in 0..<count {
            let domain = try reader.readID(below: domains.count, "domain")
            let aggregateType = try reader.readID(below: aggregateTypes.count, "aggregate_type")
            let eventType = try reader.readID(below: eventTypes.count, "event_type")
            let value = try reader.readUInt64()
            let key = EventsKey(domain: domains[domain], aggregateType: aggregateTypes[aggregateType], eventType: eventTypes[eventType])
            guard eventsIndex[key] == nil else { throw SnapshotError(.malformed, "events series listed twice") }
            let overflowing = domain == domains.overflowID || aggregateType == aggregateTypes.overflowID || eventType == eventTypes.overflowID
            appendEventsSeries(
                EventsSeries(domain: domain, aggregateType: aggregateType, eventType: eventType, overflowing: overflowing, count: value),
                key: key
            )
        }
    }

    private mutating func readFailuresSeries(_ reader: inout SnapshotReader) throws(SnapshotError) {
        let count = try reader.readCount(minimumSize: 16, "failures series")
        for _ in 0..<count {
            let rawSeries = try reader.readUInt32()
            let series = rawSeries == UInt32.max ? -1 : Int32(truncatingIfNeeded: rawSeries)
            guard series < eventsSeries.count else { throw SnapshotError(.malformed, "events series id \(rawSeries) out of range") }
            let errorType = try reader.readID(below: errorTypes.count, "error_type")
            let value = try reader.readUInt64()
            let key = FailuresKey(eventsSeries: series, errorType: errorTypes[errorType])
            guard failuresIndex[key] == nil else { throw SnapshotError(.malformed, "failures series listed twice") }
            let allOverflow =
                domains.overflowID >= 0 && aggregateTypes.overflowID >= 0 && eventTypes.overflowID >= 0 && errorType == errorTypes.overflowID
            guard series >= 0 || allOverflow, !(series == eventsOverflowSeries && errorType == errorTypes.overflowID) else {
                throw SnapshotError(.malformed, "the all-__overflow__ failures series is inconsistent")
            }
            let overflowing = series < 0 || eventsSeries[Int(series)].overflowing || errorType == errorTypes.overflowID
            appendFailuresSeries(FailuresSeries(eventsSeries: series, errorType: errorType, overflowing: overflowing, count: value), key: key)
        }
    }

    private mutating func readDomainStates(_ reader: inout SnapshotReader) throws(SnapshotError) {
        for id in domainStates.indices {
            let folded = try reader.readUInt8()
            let duplicates = try reader.readUInt64()
            let lastTimestamp = try reader.readDouble()
            guard folded <= 1, lastTimestamp.isFinite || lastTimestamp == -.infinity else {
                throw SnapshotError(.malformed, "domain state \(id) is inconsistent")
            }
            domainStates[id] = DomainState(folded: folded == 1, duplicates: duplicates, lastTimestamp: lastTimestamp)
        }
    }

    private mutating func readViolations(_ reader: inout SnapshotReader) throws(SnapshotError) {
        let count = try reader.readCount(minimumSize: 13, "violations")
        for _ in 0..<count {
            let domain = Int(try reader.readID(below: domains.count, "domain"))
            let bit = Int(try reader.readUInt8())
            let value = try reader.readUInt64()
            guard bit < Self.violationBits, value > 0, violations[domain * Self.violationBits + bit] == 0 else {
                throw SnapshotError(.malformed, "violation counter is inconsistent")
            }
            violations[domain * Self.violationBits + bit] = value
        }
    }

    private func readHistograms(_ reader: inout SnapshotReader, into table: HistogramTable, _ what: String) throws(SnapshotError) -> HistogramTable {
        var table = table
        let count = try reader.readCount(minimumSize: 12 + 8 * table.bucketCount, "\(what) histograms")
        for _ in 0..<count {
            let domain = Int(try reader.readID(below: domains.count, "domain"))
            let sum = try reader.readDouble()
            var buckets: [UInt64] = []
            for _ in 0..<table.bucketCount { buckets.append(try reader.readUInt64()) }
            guard table.value(domain: domain) == nil, !sum.isNaN, sum >= 0, buckets.contains(where: { $0 > 0 }) else {
                throw SnapshotError(.malformed, "\(what) histogram of domain \(domain) is inconsistent")
            }
            table.restore(domain: domain, buckets: buckets, sum: sum)
        }
        return table
    }
}
