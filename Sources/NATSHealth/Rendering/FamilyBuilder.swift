import EventMetrics

/// Collects series by family name and builds the families at the end; a family whose parts are invalid is left out
/// (it can only come from a server's odd JSON key) rather than failing the others.
struct FamilyBuilder {
    private var order: [String] = []
    private var families: [String: (help: String, type: MetricType, series: [MetricSeries])] = [:]

    mutating func add(_ name: String, _ help: String, _ type: MetricType = .gauge, _ series: MetricSeries) {
        if families[name] == nil {
            order.append(name)
            families[name] = (help, type, [])
        }
        families[name]!.series.append(series)
    }

    mutating func add(_ name: String, _ help: String, _ type: MetricType = .gauge, labels: [MetricLabel], _ value: UInt64?) {
        guard let value else { return }
        add(name, help, type, MetricSeries(labels: labels, value: .count(value)))
    }

    mutating func add(_ name: String, _ help: String, labels: [MetricLabel], number value: Double?) {
        guard let value, value.isFinite else { return }
        add(name, help, .gauge, MetricSeries(labels: labels, value: .number(value)))
    }

    /// Declares a family that exists even without series (so `/metrics` always lists it).
    mutating func declare(_ name: String, _ help: String, _ type: MetricType = .gauge) {
        guard families[name] == nil else { return }
        order.append(name)
        families[name] = (help, type, [])
    }

    func build() -> [MetricFamily] {
        // The label names are this module's constants; the family name may come from a server's JSON key and is checked.
        order.compactMap { name in
            let family = families[name]!
            return try? MetricFamily(trustedLabels: name, help: family.help, type: family.type, series: family.series, allowingReservedSuffix: true)
        }
    }
}
