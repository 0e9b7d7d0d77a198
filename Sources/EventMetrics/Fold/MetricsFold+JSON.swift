import CIMEvents

extension MetricsFold {
    /// The fold as a JSON document (for `scan --format json`), one array element per line, ending with a newline.
    ///
    /// The shape is stable: keys in this order, arrays sorted like the exposition (by labels, as UTF-8),
    /// counts as integers, times and sums as JSON numbers (`null` if not finite):
    ///
    /// ```json
    /// {
    ///   "events_processed": 3,
    ///   "last_sequence": 3,
    ///   "events": [
    ///     {"domain": "orders", "aggregate_type": "order", "event_type": "order_placed", "count": 3}
    ///   ],
    ///   "failures": [{"domain": …, "aggregate_type": …, "event_type": …, "error_type": …, "count": N}],
    ///   "violations": [{"domain": …, "reason": …, "count": N}],
    ///   "duplicates": [{"domain": …, "count": N}],
    ///   "last_timestamps": [{"domain": …, "seconds": 1732838400.25}],
    ///   "publish_delay": [{"domain": …, "count": N, "sum": 1.5}],
    ///   "lag": [{"domain": …, "count": N, "sum": 0.2}],
    ///   "overflows": [{"family": "cim_events_total", "count": N}]
    /// }
    /// ```
    ///
    /// `duplicates` lists every domain an event was folded for (count 0 included); `overflows` lists every
    /// event family.
    public func json() -> [UInt8] {
        var byName: [String: MetricFamily] = [:]
        for family in families() { byName[family.name] = family }
        func series(_ family: EventFamily) -> [MetricSeries] { byName[family.name]?.series ?? [] }

        var out: [UInt8] = []
        out.append(ascii: "{\n  \"events_processed\": ")
        out.append(decimal: eventsProcessed)
        out.append(ascii: ",\n  \"last_sequence\": ")
        out.append(decimal: lastSequence)
        Self.appendArray("events", series(.events), valueKey: "count", to: &out)
        Self.appendArray("failures", series(.failures), valueKey: "count", to: &out)
        Self.appendArray("violations", series(.violations), valueKey: "count", to: &out)
        Self.appendArray("duplicates", series(.duplicates), valueKey: "count", to: &out)
        Self.appendArray("last_timestamps", series(.lastTimestamp), valueKey: "seconds", to: &out)
        Self.appendArray("publish_delay", series(.publishDelay), valueKey: "count", to: &out)
        Self.appendArray("lag", series(.lag), valueKey: "count", to: &out)
        Self.appendArray("overflows", byName["cim_monitor_series_overflow_total"]?.series ?? [], valueKey: "count", to: &out)
        out.append(ascii: "\n}\n")
        return out
    }

    private static func appendArray(_ key: StaticString, _ series: [MetricSeries], valueKey: StaticString, to out: inout [UInt8]) {
        out.append(ascii: ",\n  \"")
        out.append(ascii: key)
        out.append(ascii: "\": [")
        for (index, one) in series.enumerated() {
            out.append(ascii: index == 0 ? "\n    {" : ",\n    {")
            for label in one.labels {
                JSONStringEscaper.append(label.name, to: &out)
                out.append(ascii: ": ")
                JSONStringEscaper.append(label.value, to: &out)
                out.append(ascii: ", ")
            }
            out.append(UInt8(ascii: "\""))
            out.append(ascii: valueKey)
            out.append(ascii: "\": ")
            switch one.value {
            case .count(let value): out.append(decimal: value)
            case .number(let value): out.append(jsonNumber: value)
            case .histogram(let histogram):
                out.append(decimal: histogram.count)
                out.append(ascii: ", \"sum\": ")
                out.append(jsonNumber: histogram.sum)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(ascii: series.isEmpty ? "]" : "\n  ]")
    }
}
