import CIMEvents
import Testing

@testable import EventMetrics

@Suite struct EscapingTests {
    static func gauge(_ value: String) throws -> MetricFamily {
        try MetricFamily(name: "test_info_value", help: "h", type: .gauge, series: [MetricSeries(["label": value], value: .count(1))])
    }

    @Test(arguments: [
        (#"a"b"#, #"a\"b"#),
        (#"a\b"#, #"a\\b"#),
        ("line1\nline2", #"line1\nline2"#),
        (#"\""#, #"\\\""#),
        (#"\n"#, #"\\n"#),
        ("trailing\\", #"trailing\\"#),
        ("tab\there", "tab\there"),
        ("crlf\r\n", "crlf\r\\n"),
        ("ünïcødé ☃ 日本 🚀", "ünïcødé ☃ 日本 🚀"),
        ("", ""),
    ])
    func escapesLabelValues(raw: String, escaped: String) throws {
        for format in ExpositionFormat.allCases {
            let text = try format.renderString([Self.gauge(raw)])
            #expect(text.contains("test_info_value{label=\"\(escaped)\"} 1\n"), "\(format)")
        }
    }

    @Test func replacesInvalidUTF8BeforeItReachesALabel() throws {
        let value = String(decoding: [0x61, 0xFF, 0xFE, 0x62, 0xC3], as: UTF8.self)
        let text = try ExpositionFormat.prometheus.render([Self.gauge(value)])
        #expect(String(validating: text, as: UTF8.self) != nil)
        #expect(try ExpositionFormat.prometheus.renderString([Self.gauge(value)]).contains("label=\"a\u{FFFD}\u{FFFD}b\u{FFFD}\""))
    }

    @Test func escapesHelpTextPerFormat() throws {
        let family = try MetricFamily(name: "test_help", help: "say \"hi\" \\ to\nall", type: .gauge, series: [])
        #expect(try ExpositionFormat.prometheus.renderString([family]) == "# HELP test_help say \"hi\" \\\\ to\\nall\n# TYPE test_help gauge\n")
        #expect(
            try ExpositionFormat.openMetrics.renderString([family])
                == "# TYPE test_help gauge\n# HELP test_help say \\\"hi\\\" \\\\ to\\nall\n# EOF\n"
        )
    }

    @Test func escapesLabelValuesThatComeThroughTheFold() throws {
        var fold = MetricsFold()
        fold.fold(event("we\"ird\\dom\nain", "agg", "type"), storedAt: nil, sequence: 1)
        let text = try fold.text(.prometheus)
        #expect(text.contains(#"cim_events_total{domain="we\"ird\\dom\nain",aggregate_type="agg",event_type="type"} 1"#))
    }
}
