import EventMetrics
import Testing

@Suite struct MergeTests {
    @Test func countersAddGaugesTakeTheMaxAndNewSeriesAreKept() throws {
        let first = [
            try MetricFamily(name: "x_total", help: "x", type: .counter, series: [MetricSeries(["d": "a"], value: .count(2))]),
            try MetricFamily(name: "g", help: "g", type: .gauge, series: [MetricSeries(["d": "a"], value: .number(5))]),
        ]
        let second = [
            try MetricFamily(
                name: "x_total",
                help: "x",
                type: .counter,
                series: [MetricSeries(["d": "a"], value: .count(3)), MetricSeries(["d": "b"], value: .count(1))]
            ),
            try MetricFamily(name: "g", help: "g", type: .gauge, series: [MetricSeries(["d": "a"], value: .number(7))]),
            try MetricFamily(name: "x_total_other", help: "y", type: .gauge, series: [MetricSeries(value: .number(1))]),
        ]
        let merged = MetricFamily.merge([first, second])
        #expect(merged.map(\.name) == ["x_total", "g", "x_total_other"])
        #expect(merged[0].series == [MetricSeries(["d": "a"], value: .count(5)), MetricSeries(["d": "b"], value: .count(1))])
        #expect(merged[1].series == [MetricSeries(["d": "a"], value: .number(7))])
        let text = try ExpositionFormat.prometheus.renderString(merged)
        #expect(text.contains("x_total{d=\"a\"} 5"))
    }

    @Test func histogramsWithTheSameBucketsAdd() throws {
        let histogram = HistogramValue(upperBounds: [1, 2], bucketCounts: [1, 2, 3], sum: 4)
        let family = try MetricFamily(name: "h_seconds", help: "h", type: .histogram, series: [MetricSeries(value: .histogram(histogram))])
        let merged = MetricFamily.merge([[family], [family]])
        #expect(merged[0].series[0].value == .histogram(HistogramValue(upperBounds: [1, 2], bucketCounts: [2, 4, 6], sum: 8)))
    }

    @Test func aFamilyOfAnotherTypeIsDroppedNotBroken() throws {
        let gauge = try MetricFamily(name: "m_seconds", help: "m", type: .gauge, series: [MetricSeries(value: .number(1))])
        let histogram = HistogramValue(upperBounds: [1], bucketCounts: [1, 0], sum: 0.5)
        let other = try MetricFamily(name: "m_seconds", help: "m", type: .histogram, series: [MetricSeries(value: .histogram(histogram))])
        let merged = MetricFamily.merge([[gauge], [other]])
        #expect(merged.count == 1 && merged[0].type == .gauge && merged[0].series == [MetricSeries(value: .number(1))])
        _ = try ExpositionFormat.openMetrics.render(merged)
    }
}
