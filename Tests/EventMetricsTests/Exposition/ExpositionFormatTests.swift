import Testing

@testable import EventMetrics

@Suite struct ExpositionFormatTests {
    @Test func namesTheContentTypes() {
        #expect(ExpositionFormat.prometheus.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(ExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
    }

    @Test(arguments: [
        (nil, ExpositionFormat.prometheus),
        ("", .prometheus),
        ("*/*", .prometheus),
        ("text/plain", .prometheus),
        ("text/plain;version=0.0.4", .prometheus),
        ("application/openmetrics-text", .openMetrics),
        ("Application/OpenMetrics-Text; Version=1.0.0", .openMetrics),
        ("application/openmetrics-text;version=0.0.1", .prometheus),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", .prometheus),
        // Prometheus 3's default scrape Accept header.
        (
            "application/openmetrics-text;version=1.0.0;escaping=allow-utf8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,"
                + "text/plain;version=1.0.0;escaping=allow-utf8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1",
            .openMetrics
        ),
        // Prometheus 2's default.
        (
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
            .openMetrics
        ),
        ("text/plain;version=0.0.4;q=0.9, application/openmetrics-text;version=1.0.0;q=0.5", .prometheus),
        ("application/openmetrics-text; q=0, text/plain", .prometheus),
        ("application/openmetrics-text;q=0.7, text/plain;q=0.7", .openMetrics),
        ("text/plain;q=0.7, application/openmetrics-text;q=0.7", .prometheus),
        ("application/openmetrics-text;q=bogus", .prometheus),
        (",,;;==", .prometheus),
    ])
    func negotiatesTheFormatFromAnAcceptHeader(accept: String?, format: ExpositionFormat) {
        #expect(ExpositionFormat(accept: accept) == format)
    }

    @Test(arguments: ExpositionFormat.allCases)
    func thePartsJoinedAreTheWholeExposition(_ format: ExpositionFormat) throws {
        let families = [
            try MetricFamily(name: "b_total", help: "B.", type: .counter, series: [MetricSeries(["x": "2"], value: .count(2))]),
            try MetricFamily(
                name: "a",
                help: "A \"quoted\".",
                type: .gauge,
                series: [MetricSeries(["x": "1\n"], value: .number(0.5)), MetricSeries(["x": "0"], value: .count(1))]
            ),
            try MetricFamily(name: "c", help: "C.", type: .gauge, series: []),
        ]
        for list in [families, [], Array(families.prefix(1))] {
            let parts = Array(try format.renderParts(list))
            #expect(parts.joined().elementsEqual(try format.render(list)))
            #expect(parts.count == max(1, list.count))
        }
    }

    @Test func partsAreCheckedForNameCollisionsBeforeAnyIsRendered() throws {
        let counter = try MetricFamily(name: "x_total", help: "X.", type: .counter, series: [])
        let gauge = try MetricFamily(name: "x", help: "X.", type: .gauge, series: [])
        #expect(throws: ExpositionError.self) { try ExpositionFormat.prometheus.renderParts([counter, gauge]) }
    }
}
