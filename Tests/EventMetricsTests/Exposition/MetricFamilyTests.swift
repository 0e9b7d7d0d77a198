import Testing

@testable import EventMetrics

@Suite struct MetricFamilyTests {
    static let histogram = HistogramValue(upperBounds: [1, 2], bucketCounts: [1, 2, 3], sum: 10)

    @Test(arguments: [
        ("requests_total", MetricType.counter, nil as String?),
        ("a:b_total", .counter, nil),
        ("temperature_celsius", .gauge, "celsius"),
        ("_x", .gauge, nil),
        ("request_duration_seconds", .histogram, "seconds"),
        ("cpu_seconds_total", .counter, "seconds"),
    ])
    func acceptsValidNames(name: String, type: MetricType, unit: String?) throws {
        let value: MetricValue = type == .histogram ? .histogram(Self.histogram) : .count(1)
        let family = try MetricFamily(name: name, help: "h", type: type, unit: unit, series: [MetricSeries(value: value)])
        #expect(family.name == name)
    }

    @Test(arguments: [
        ("", MetricType.gauge, nil as String?, ExpositionError.Code.invalidMetricName),
        ("1abc", .gauge, nil, .invalidMetricName),
        ("a-b", .gauge, nil, .invalidMetricName),
        ("ünit", .gauge, nil, .invalidMetricName),
        ("requests", .counter, nil, .invalidMetricName),
        ("_total", .counter, nil, .invalidMetricName),
        ("queue_total", .gauge, nil, .invalidMetricName),
        ("latency_bucket", .histogram, nil, .invalidMetricName),
        ("latency_count", .gauge, nil, .invalidMetricName),
        ("requests_created_total", .counter, nil, .invalidMetricName),
        ("latency_seconds", .histogram, "milliseconds", .invalidUnit),
        ("latency_seconds", .histogram, "Seconds", .invalidUnit),
        ("latency_seconds", .histogram, "", .invalidUnit),
        ("requests_total", .counter, "total", .invalidUnit),
    ])
    func rejectsInvalidNames(name: String, type: MetricType, unit: String?, code: ExpositionError.Code) {
        let value: MetricValue = type == .histogram ? .histogram(Self.histogram) : .count(1)
        #expect { try MetricFamily(name: name, help: "h", type: type, unit: unit, series: [MetricSeries(value: value)]) } throws: {
            ($0 as? ExpositionError)?.code == code
        }
    }

    @Test(arguments: [
        ([MetricLabel("1a", "v")], MetricType.gauge),
        ([MetricLabel("a-b", "v")], .gauge),
        ([MetricLabel("__name__", "v")], .gauge),
        ([MetricLabel("", "v")], .gauge),
        ([MetricLabel("a", "v"), MetricLabel("a", "w")], .gauge),
        ([MetricLabel("le", "1")], .histogram),
        ([MetricLabel("a:b", "v")], .gauge),
    ])
    func rejectsInvalidLabelNames(labels: [MetricLabel], type: MetricType) {
        let value: MetricValue = type == .histogram ? .histogram(Self.histogram) : .count(1)
        #expect { try MetricFamily(name: "test_metric", help: "h", type: type, series: [MetricSeries(labels: labels, value: value)]) } throws: {
            ($0 as? ExpositionError)?.code == .invalidLabelName
        }
    }

    @Test(arguments: [
        (MetricType.counter, MetricValue.number(-1)),
        (.counter, .number(.nan)),
        (.counter, .histogram(histogram)),
        (.gauge, .histogram(histogram)),
        (.histogram, .count(1)),
        (.histogram, .histogram(HistogramValue(upperBounds: [1], bucketCounts: [1], sum: 0))),
        (.histogram, .histogram(HistogramValue(upperBounds: [2, 1], bucketCounts: [1, 1, 1], sum: 0))),
        (.histogram, .histogram(HistogramValue(upperBounds: [1, 1], bucketCounts: [1, 1, 1], sum: 0))),
        (.histogram, .histogram(HistogramValue(upperBounds: [-1], bucketCounts: [1, 1], sum: 0))),
        (.histogram, .histogram(HistogramValue(upperBounds: [.infinity], bucketCounts: [1, 1], sum: 0))),
        (.histogram, .histogram(HistogramValue(upperBounds: [1], bucketCounts: [1, 1], sum: .nan))),
        (.histogram, .histogram(HistogramValue(upperBounds: [1], bucketCounts: [1, 1], sum: -1))),
    ])
    func rejectsValuesThatDoNotFitTheType(type: MetricType, value: MetricValue) {
        let name = type == .counter ? "test_metric_total" : "test_metric"
        #expect { try MetricFamily(name: name, help: "h", type: type, series: [MetricSeries(value: value)]) } throws: {
            ($0 as? ExpositionError)?.code == .invalidValue
        }
    }

    @Test func acceptsSpecialGaugeValuesAndRendersThem() throws {
        let family = try MetricFamily(
            name: "test_gauge",
            help: "h",
            type: .gauge,
            series: [
                MetricSeries(["v": "nan"], value: .number(.nan)), MetricSeries(["v": "pos"], value: .number(.infinity)),
                MetricSeries(["v": "neg"], value: .number(-.infinity)), MetricSeries(["v": "minus"], value: .number(-2.5)),
            ]
        )
        #expect(
            try ExpositionFormat.prometheus.renderString([family])
                == "# HELP test_gauge h\n# TYPE test_gauge gauge\ntest_gauge{v=\"minus\"} -2.5\ntest_gauge{v=\"nan\"} NaN\n"
                + "test_gauge{v=\"neg\"} -Inf\ntest_gauge{v=\"pos\"} +Inf\n"
        )
    }

    @Test func rejectsTwoSeriesWithTheSameLabels() {
        #expect {
            try MetricFamily(
                name: "test_metric",
                help: "h",
                type: .gauge,
                series: [MetricSeries(["a": "1", "b": "2"], value: .count(1)), MetricSeries(["a": "1", "b": "2"], value: .count(2))]
            )
        } throws: { ($0 as? ExpositionError)?.code == .duplicateSeries }
    }

    @Test func keepsSeriesWhoseValuesDifferOnlyInUnicodeNormalisation() throws {
        let composed = "\u{E9}"
        let decomposed = "e\u{301}"
        let family = try MetricFamily(
            name: "test_metric",
            help: "h",
            type: .gauge,
            series: [MetricSeries(["a": composed], value: .count(1)), MetricSeries(["a": decomposed], value: .count(2))]
        )
        #expect(family.series.count == 2)
    }

    @Test func sortsSeriesByLabelBytesAndFamiliesByName() throws {
        let zeta = try MetricFamily(
            name: "zeta",
            help: "z",
            type: .gauge,
            series: [
                MetricSeries(["a": "b"], value: .count(3)), MetricSeries(["a": "B"], value: .count(2)),
                MetricSeries(["a": "ä"], value: .count(4)), MetricSeries(["a": "a", "b": "x"], value: .count(1)),
                MetricSeries(["a": "a"], value: .count(0)),
            ]
        )
        let alpha = try MetricFamily(name: "alpha", help: "a", type: .gauge, series: [MetricSeries(value: .count(9))])
        let text = try ExpositionFormat.prometheus.renderString([zeta, alpha])
        #expect(
            text == """
                # HELP alpha a
                # TYPE alpha gauge
                alpha 9
                # HELP zeta z
                # TYPE zeta gauge
                zeta{a="B"} 2
                zeta{a="a"} 0
                zeta{a="a",b="x"} 1
                zeta{a="b"} 3
                zeta{a="ä"} 4

                """
        )
    }

    @Test(arguments: [
        ("x_total", MetricType.counter, "x_total", MetricType.counter),
        ("x_total", .counter, "x", .gauge),
        ("x", .histogram, "x_total", .counter),
        ("x", .histogram, "x_bucket_thing", .gauge),
        ("x", .gauge, "x", .histogram),
        ("x_seconds", .gauge, "x_seconds_total", .counter),
    ])
    func rejectsFamiliesWhoseNamesCollide(first: String, firstType: MetricType, second: String, secondType: MetricType) throws {
        let families = try [(first, firstType), (second, secondType)].map { name, type in
            try MetricFamily(
                name: name,
                help: "h",
                type: type,
                series: [MetricSeries(value: type == .histogram ? .histogram(Self.histogram) : .count(1))]
            )
        }
        let collides = (try? ExpositionFormat.openMetrics.render(families)) == nil
        let expected = second != "x_bucket_thing"
        #expect(collides == expected)
        if expected {
            #expect(throws: ExpositionError.self) { try ExpositionFormat.prometheus.render(families) }
        }
    }

    @Test func rendersHistogramsCumulatively() throws {
        let family = try MetricFamily(
            name: "test_duration_seconds",
            help: "h",
            type: .histogram,
            unit: "seconds",
            series: [
                MetricSeries(["op": "get"], value: .histogram(HistogramValue(upperBounds: [0.5, 1, 2], bucketCounts: [1, 0, 4, 2], sum: 9.75)))
            ]
        )
        #expect(
            try ExpositionFormat.prometheus.renderString([family]) == """
                # HELP test_duration_seconds h
                # TYPE test_duration_seconds histogram
                test_duration_seconds_bucket{op="get",le="0.5"} 1
                test_duration_seconds_bucket{op="get",le="1.0"} 1
                test_duration_seconds_bucket{op="get",le="2.0"} 5
                test_duration_seconds_bucket{op="get",le="+Inf"} 7
                test_duration_seconds_sum{op="get"} 9.75
                test_duration_seconds_count{op="get"} 7

                """
        )
        let unlabelled = try MetricFamily(
            name: "test_size",
            help: "",
            type: .histogram,
            series: [MetricSeries(value: .histogram(HistogramValue(upperBounds: [], bucketCounts: [3], sum: 1)))]
        )
        #expect(
            try ExpositionFormat.openMetrics.renderString([unlabelled])
                == "# TYPE test_size histogram\n# HELP test_size \ntest_size_bucket{le=\"+Inf\"} 3\ntest_size_sum 1.0\ntest_size_count 3\n# EOF\n"
        )
    }

    @Test func rendersNothingButEOFForNoFamilies() throws {
        #expect(try ExpositionFormat.prometheus.render([]) == [])
        #expect(try ExpositionFormat.openMetrics.renderString([]) == "# EOF\n")
    }
}
