extension ExpositionFormat {
    /// Renders families in this format: families sorted by name, series by labels, counters with `_total`
    /// samples (and, in OpenMetrics, family names without it), histograms as cumulative `_bucket{le=…}`
    /// lines up to `+Inf` plus `_sum` and `_count`; OpenMetrics ends with `# EOF`.
    ///
    /// - Throws: ``ExpositionError`` with ``ExpositionError/Code/nameCollision`` when two families share a
    ///   name or one family's samples would carry another's name (`x_total` counter and `x` gauge, `x`
    ///   histogram and `x_count` gauge).
    public func render(_ families: [MetricFamily]) throws(ExpositionError) -> [UInt8] {
        let sorted = try Self.checkedAndSorted(families)
        let estimate = families.reduce(64) { $0 + 96 + $1.series.count * 96 }
        var writer = ExpositionWriter(format: self, capacity: estimate)
        for family in sorted { writer.write(family) }
        writer.finish()
        return writer.bytes
    }

    /// ``render(_:)`` in parts, for a body sent while it is rendered: the same bytes, one part per family (the
    /// last with `# EOF` in OpenMetrics), rendered as the parts are read, so that a large exposition (a hundred
    /// thousand series is tens of megabytes) is never held whole.
    ///
    /// - Throws: as ``render(_:)``, before any part.
    public func renderParts(_ families: [MetricFamily]) throws(ExpositionError) -> ExpositionParts {
        ExpositionParts(format: self, families: try Self.checkedAndSorted(families))
    }

    private static func checkedAndSorted(_ families: [MetricFamily]) throws(ExpositionError) -> [MetricFamily] {
        var claimed: [String: String] = [:]
        for family in families {
            for name in family.claimedNames {
                if let other = claimed.updateValue(family.name, forKey: name) {
                    throw ExpositionError(.nameCollision, "families \(other) and \(family.name) both use the name \(name)")
                }
            }
        }
        return families.sorted { MetricSeries.compareBytes($0.name, $1.name) < 0 }
    }

    /// ``render(_:)`` as a `String`.
    public func renderString(_ families: [MetricFamily]) throws(ExpositionError) -> String {
        String(decoding: try render(families), as: UTF8.self)
    }
}
