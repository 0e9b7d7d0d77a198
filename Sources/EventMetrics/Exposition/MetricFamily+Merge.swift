/// Combining the families of several sources (one fold per stream) into one exposition.
extension MetricFamily {
    /// Merges families by name: series with the same labels are added (counters, histograms with equal buckets)
    /// or take the larger value (gauges); other series are kept side by side. Families keep the first source's
    /// HELP, type and unit; a family whose type differs from the first of its name is dropped rather than
    /// producing an invalid exposition.
    public static func merge(_ sources: [[MetricFamily]]) -> [MetricFamily] {
        var order: [String] = []
        var merged: [String: (family: MetricFamily, series: [[MetricLabel]: MetricValue], labelOrder: [[MetricLabel]])] = [:]
        for families in sources {
            for family in families {
                if var entry = merged[family.name] {
                    guard entry.family.type == family.type else { continue }
                    for series in family.series {
                        if let existing = entry.series[series.labels] {
                            entry.series[series.labels] = combine(existing, series.value, type: family.type)
                        } else {
                            entry.series[series.labels] = series.value
                            entry.labelOrder.append(series.labels)
                        }
                    }
                    merged[family.name] = entry
                } else {
                    order.append(family.name)
                    var series: [[MetricLabel]: MetricValue] = [:]
                    var labelOrder: [[MetricLabel]] = []
                    for item in family.series {
                        if let existing = series[item.labels] {
                            series[item.labels] = combine(existing, item.value, type: family.type)
                        } else {
                            series[item.labels] = item.value
                            labelOrder.append(item.labels)
                        }
                    }
                    merged[family.name] = (family, series, labelOrder)
                }
            }
        }
        return order.map { name in
            let entry = merged[name]!
            return MetricFamily(
                unchecked: name,
                help: entry.family.help,
                type: entry.family.type,
                unit: entry.family.unit,
                series: entry.labelOrder.map { MetricSeries(labels: $0, value: entry.series[$0]!) }
            )
        }
    }

    private static func combine(_ a: MetricValue, _ b: MetricValue, type: MetricType) -> MetricValue {
        switch (a, b) {
        case (.count(let x), .count(let y)):
            return type == .gauge ? .count(max(x, y)) : .count(x &+ y)
        case (.number(let x), .number(let y)):
            return type == .gauge ? .number(max(x, y)) : .number(x + y)
        case (.histogram(let x), .histogram(let y)) where x.upperBounds == y.upperBounds:
            return .histogram(
                HistogramValue(upperBounds: x.upperBounds, bucketCounts: zip(x.bucketCounts, y.bucketCounts).map { $0 &+ $1 }, sum: x.sum + y.sum)
            )
        default:
            return a
        }
    }
}
