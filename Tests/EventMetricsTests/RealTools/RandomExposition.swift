import CIMEvents
import CIMSimulation

@testable import EventMetrics

/// Random families that stress the encoders: hostile label values, extreme numbers, histograms, and a fold
/// fed with events whose labels are hostile too.
enum RandomExposition {
    static let pieces = [
        "\"", "\\", "\n", "\\n", "\\\"", "\r", "\t", "\u{0}", "\u{7F}", "é", "日本", "🚀", "\u{2028}", "\u{FEFF}", " ", "{", "}", ",", "=",
        "#", "le", "a", "Z", "9", "_", "# EOF", "\"}", "\\\\",
    ]

    static func labelValue(using generator: inout SplitMix64) -> String {
        var value = ""
        for _ in 0..<Int.random(in: 0...6, using: &generator) {
            if Int.random(in: 0..<5, using: &generator) == 0 {
                // Arbitrary bytes decode with U+FFFD for every invalid sequence.
                let bytes = (0..<Int.random(in: 1...4, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                value += String(decoding: bytes, as: UTF8.self)
            } else {
                value += pieces.randomElement(using: &generator)!
            }
        }
        return value
    }

    static func number(using generator: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<8, using: &generator) {
        case 0:
            return [Double.nan, .infinity, -.infinity, 0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude].randomElement(using: &generator)!
        case 1: return Double(bitPattern: generator.next())
        case 2: return Double(Int64.random(in: -1_000_000...1_000_000, using: &generator))
        default: return Double.random(in: -1e6...1e6, using: &generator) * pow10(Int.random(in: -12...12, using: &generator))
        }
    }

    static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }

    static func families(seed: UInt64) throws -> [MetricFamily] {
        var generator = SplitMix64(seed: seed)
        var fold = MetricsFold(publishDelayBuckets: [0.001, 0.1, 10], lagBuckets: [1])
        for index in 0..<300 {
            let failed = Bool.random(using: &generator)
            let one = Event(
                domain: labelValue(using: &generator),
                aggregateType: labelValue(using: &generator),
                eventType: labelValue(using: &generator),
                time: Bool.random(using: &generator) ? Double.random(in: 0...2e9, using: &generator) : nil,
                id: "id-\(Int.random(in: 0..<100, using: &generator))",
                failed: failed,
                errorType: failed ? labelValue(using: &generator) : nil,
                violations: SchemaViolations(rawValue: UInt8.random(in: 0...63, using: &generator))
            )
            fold.fold(one, storedAt: Double.random(in: 0...2e9, using: &generator), sequence: UInt64(index + 1))
            fold.observeLag(Double.random(in: -1...5, using: &generator), domain: one.domain)
        }

        func distinctSeries(_ count: Int, value: (inout SplitMix64) -> MetricValue) -> [MetricSeries] {
            var seen = Set<[UInt8]>()
            var series: [MetricSeries] = []
            for _ in 0..<count {
                let labels = [MetricLabel("kind", labelValue(using: &generator)), MetricLabel("path", labelValue(using: &generator))]
                guard seen.insert(Array((labels[0].value + "\u{0}|\u{0}" + labels[1].value).utf8)).inserted else { continue }
                series.append(MetricSeries(labels: labels, value: value(&generator)))
            }
            return series
        }

        let gauges = distinctSeries(200) { .number(number(using: &$0)) }
        let counters = distinctSeries(200) { generator in
            Bool.random(using: &generator)
                ? .count(generator.next() >> UInt64.random(in: 0..<64, using: &generator)) : .number(abs(number(using: &generator)).nanToZero)
        }
        let histograms = distinctSeries(50) { generator in
            var bounds: [Double] = []
            var bound = pow10(Int.random(in: -9...0, using: &generator))
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                bounds.append(bound)
                bound *= Double.random(in: 1.5...1000, using: &generator)
            }
            let counts = (0...bounds.count).map { _ in UInt64.random(in: 0...1_000_000, using: &generator) }
            return .histogram(HistogramValue(upperBounds: bounds, bucketCounts: counts, sum: Double.random(in: 0...1e12, using: &generator)))
        }
        return fold.families() + [
            try MetricFamily(name: "test_random_value", help: "Random \"gauge\" \\ with\nnewline ☃.", type: .gauge, series: gauges),
            try MetricFamily(name: "test_random_events_total", help: "Random counter.", type: .counter, series: counters),
            try MetricFamily(name: "test_random_duration_seconds", help: "Random histogram.", type: .histogram, unit: "seconds", series: histograms),
            try MetricFamily(name: "test_random_up", help: "Whether it is up.", type: .gauge, series: [MetricSeries(value: .count(1))]),
        ]
    }
}

extension Double {
    var nanToZero: Double { isNaN ? 0 : self }
}
