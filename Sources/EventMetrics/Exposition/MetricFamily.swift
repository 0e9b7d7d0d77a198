/// A named metric family with its metadata and series, ready to be rendered by ``ExpositionFormat/render(_:)``.
///
/// Any part of the monitor can build families (NATS health, self metrics, `process_*`) and render them
/// together with ``MetricsFold/families()``. The initialiser validates everything that would make an
/// exposition invalid, so a family that exists can always be written; label values need no checking
/// because the encoders escape them. Series are kept sorted by their labels (as UTF-8 bytes).
public struct MetricFamily: Sendable, Hashable {
    /// The metric name; a counter's ends in `_total`, which OpenMetrics drops from its family name.
    public let name: String
    /// The `# HELP` text; any text, escaped when written.
    public let help: String
    /// Counter, gauge or histogram.
    public let type: MetricType
    /// The OpenMetrics `# UNIT` (e.g. `seconds`); the family name must end with `_` and the unit.
    public let unit: String?
    /// The series, sorted by labels.
    public let series: [MetricSeries]

    /// Creates a family after checking its name, unit, label names and values.
    ///
    /// - Throws: ``ExpositionError`` when the name is not a valid metric name, a counter's name does not
    ///   end in `_total`, a gauge's or histogram's name ends in a reserved suffix (`_total`, `_bucket`,
    ///   `_count`, `_sum`, `_created`, …), the unit is not the name's suffix, a label name is invalid,
    ///   reserved or repeated, a value does not fit the type, or two series have the same labels.
    public init(name: String, help: String, type: MetricType, unit: String? = nil, series: [MetricSeries]) throws(ExpositionError) {
        try self.init(name: name, help: help, type: type, unit: unit, series: series, allowingReservedSuffix: false)
    }

    /// Creates a gauge whose name another exporter fixed, even when it ends in a suffix of other types
    /// (prometheus-nats-exporter's `nats_connz_total`, `nats_stream_consumer_count`): dashboards query those names.
    /// Everything else is checked as ``init(name:help:type:unit:series:)`` checks it.
    public init(compatibleGauge name: String, help: String, series: [MetricSeries]) throws(ExpositionError) {
        try self.init(name: name, help: help, type: .gauge, unit: nil, series: series, allowingReservedSuffix: true)
    }

    /// Creates a family from series whose label names are constants of the caller, valid and distinct within each
    /// series (the NATS health families: tens of thousands of series with the same dozen label names). Checks the name,
    /// the unit and the values as ``init(name:help:type:unit:series:)`` does, not the label names of every series, and
    /// keeps the first of series with equal labels. `allowingReservedSuffix` is as for ``init(compatibleGauge:help:series:)``.
    public init(
        trustedLabels name: String,
        help: String,
        type: MetricType,
        series: [MetricSeries],
        allowingReservedSuffix: Bool = false
    ) throws(ExpositionError) {
        try Self.validateName(name, type: type, unit: nil, allowingReservedSuffix: allowingReservedSuffix && type == .gauge)
        if type != .gauge {
            for one in series { try Self.validate(one, family: name, type: type) }
        }
        let sorted = series.sorted(by: MetricSeries.labelsPrecede)
        var distinct: [MetricSeries] = []
        distinct.reserveCapacity(sorted.count)
        for one in sorted where distinct.last.map({ MetricSeries.compareLabels($0.labels, one.labels) != 0 }) ?? true {
            if type == .gauge, case .histogram = one.value {
                throw ExpositionError(.invalidValue, "\(name): histogram values belong in histogram families only")
            }
            distinct.append(one)
        }
        self.name = name
        self.help = help
        self.type = type
        self.unit = nil
        self.series = distinct
    }

    private init(
        name: String,
        help: String,
        type: MetricType,
        unit: String?,
        series: [MetricSeries],
        allowingReservedSuffix: Bool
    ) throws(ExpositionError) {
        try Self.validateName(name, type: type, unit: unit, allowingReservedSuffix: allowingReservedSuffix)
        for one in series {
            try Self.validate(one, family: name, type: type)
        }
        self.init(unchecked: name, help: help, type: type, unit: unit, series: series)
        for (previous, next) in zip(self.series, self.series.dropFirst()) where MetricSeries.compareLabels(previous.labels, next.labels) == 0 {
            throw ExpositionError(.duplicateSeries, "\(name): two series with the labels \(next.labels.map { "\($0.name)=\($0.value)" })")
        }
    }

    /// Creates a family from parts known to be valid (constant names, distinct series); sorts the series.
    init(unchecked name: String, help: String, type: MetricType, unit: String?, series: [MetricSeries]) {
        self.name = name
        self.help = help
        self.type = type
        self.unit = unit
        self.series = series.sorted(by: MetricSeries.labelsPrecede)
    }

    /// The family name in OpenMetrics: the name without `_total` for a counter.
    var openMetricsName: Substring {
        type == .counter ? name.dropLast(6) : name[...]
    }

    /// Every sample name the family writes in either format, and its OpenMetrics family name.
    var claimedNames: [String] {
        let base = String(openMetricsName)
        switch type {
        case .counter: return [base, name, base + "_created"]
        case .gauge: return [name]
        case .histogram: return [name, name + "_bucket", name + "_sum", name + "_count", name + "_created"]
        }
    }

    private static func validateName(_ name: String, type: MetricType, unit: String?, allowingReservedSuffix: Bool) throws(ExpositionError) {
        guard MetricName.isValidMetricName(name) else {
            throw ExpositionError(.invalidMetricName, "\(name.debugDescription) is not a valid metric name")
        }
        var base = Substring(name)
        if type == .counter {
            guard name.hasSuffix("_total"), name.utf8.count > 6 else {
                throw ExpositionError(.invalidMetricName, "counter \(name) must end in _total")
            }
            base = name.dropLast(6)
        }
        if !allowingReservedSuffix, let reserved = MetricName.reservedSuffixes.first(where: { base.hasSuffix($0) }) {
            throw ExpositionError(.invalidMetricName, "\(name): a \(type.rawValue) family name may not end in \(reserved)")
        }
        if let unit {
            guard MetricName.isValidUnit(unit), base.hasSuffix("_" + unit) else {
                throw ExpositionError(.invalidUnit, "\(name): unit \(unit.debugDescription) must be [a-z0-9_]+ and the name's suffix")
            }
        }
    }

    private static func validate(_ series: MetricSeries, family: String, type: MetricType) throws(ExpositionError) {
        for (index, label) in series.labels.enumerated() {
            guard MetricName.isValidLabelName(label.name), !label.name.hasPrefix("__") else {
                throw ExpositionError(.invalidLabelName, "\(family): \(label.name.debugDescription) is not a valid label name")
            }
            guard !(type == .histogram && label.name == "le") else {
                throw ExpositionError(.invalidLabelName, "\(family): le is reserved for histogram buckets")
            }
            guard !series.labels[..<index].contains(where: { $0.name == label.name }) else {
                throw ExpositionError(.invalidLabelName, "\(family): label \(label.name) appears twice in one series")
            }
        }
        switch (type, series.value) {
        case (.counter, .count), (.gauge, .count), (.gauge, .number):
            return
        case (.counter, .number(let value)):
            guard !value.isNaN, value >= 0 else { throw ExpositionError(.invalidValue, "\(family): a counter must be >= 0, not \(value)") }
        case (.histogram, .histogram(let value)):
            if let problem = value.problem { throw ExpositionError(.invalidValue, "\(family): \(problem)") }
        case (.histogram, _), (_, .histogram):
            throw ExpositionError(.invalidValue, "\(family): histogram values belong in histogram families only")
        }
    }
}
