import CompressNIO
import EventMetrics
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import MonitorServer

@Suite struct ContentNegotiationTests {
    var app: some ApplicationProtocol { application(MonitorHTTP(source: FoldSource(), verifier: nil, protectHealth: false)) }

    @Test func servesPrometheusTextWithoutAnAcceptHeader() async throws {
        try await app.test(.router) { client async throws in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = String(buffer: response.body)
            #expect(text.contains("cim_events_total{"))
            #expect(!text.contains("# EOF"))
        }
    }

    @Test func servesOpenMetricsWhenAsked() async throws {
        try await app.test(.router) { client async throws in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.accept: "application/openmetrics-text; version=1.0.0"])
            #expect(response.headers[.contentType] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(String(buffer: response.body).hasSuffix("# EOF\n"))
        }
    }

    @Test(arguments: [
        ("application/openmetrics-text;q=0.5, text/plain;version=0.0.4;q=0.9", ExpositionFormat.prometheus),
        ("text/plain;q=0.1, application/openmetrics-text;version=1.0.0;q=0.8", .openMetrics),
        ("application/openmetrics-text;q=0, text/plain", .prometheus),
        ("application/openmetrics-text;version=2.0.0, text/plain;q=0.2", .prometheus),
    ])
    func acceptQualityValuesPickTheFormat(_ accept: String, _ expected: ExpositionFormat) async throws {
        try await app.test(.router) { client async throws in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.accept: accept])
            #expect(response.headers[.contentType] == expected.contentType)
        }
    }

    @Test func gzipsWhenAccepted() async throws {
        try await app.test(.router) { client async throws in
            let plain = try await client.execute(uri: "/metrics", method: .get)
            #expect(plain.body.readableBytes > 512)
            for acceptEncoding in ["gzip", "br;q=1.0, gzip;q=0.8"] {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: [.acceptEncoding: acceptEncoding])
                #expect(response.headers[.contentEncoding] == "gzip", "\(acceptEncoding)")
                var zipped = response.body
                #expect(String(buffer: try zipped.decompress(with: .gzip())) == String(buffer: plain.body))
            }
        }
    }

    @Test(arguments: ["gzip;q=0", "gzip; q=0.0, identity", "*;q=0", "identity", "br", "gzipper"])
    func gzipRefusedWithZeroQualityIsNotUsed(_ acceptEncoding: String) async throws {
        try await app.test(.router) { client async throws in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.acceptEncoding: acceptEncoding])
            #expect(response.headers[.contentEncoding] == nil, "\(acceptEncoding)")
            #expect(String(buffer: response.body).contains("cim_events_total{"))
        }
    }

    @Test(arguments: [HTTPFields(), [.accept: "application/openmetrics-text; version=1.0.0"], [.acceptEncoding: "gzip"]])
    func aLargeExpositionIsTheSameSentInParts(_ headers: HTTPFields) async throws {
        let source = LargeSource()
        let format = ExpositionFormat(accept: headers[.accept])
        let whole = try format.render(source.families())
        try await application(MonitorHTTP(source: source, verifier: nil, protectHealth: false)).test(.live) { client async throws in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: headers)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == format.contentType)
            var body = response.body
            if headers[.acceptEncoding] != nil {
                #expect(response.headers[.contentEncoding] == "gzip")
                body = try body.decompress(with: .gzip())
            } else {
                #expect(response.headers[.contentLength] == nil, "sent in parts, as rendered")
            }
            #expect(Array(body.readableBytesView) == whole)
        }
    }

    @Test func metricsVaryOnAcceptAndAcceptEncoding() async throws {
        try await app.test(.router) { client async throws in
            for headers: HTTPFields in [[:], [.acceptEncoding: "gzip"], [.accept: "application/openmetrics-text"]] {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: headers)
                #expect(response.headers[.vary] == "Accept, Accept-Encoding", "\(headers)")
            }
        }
    }

    @Test(arguments: [
        ("gzip", true), ("GZip;q=0.5", true), ("x-gzip", true), ("*", true), ("br, *;q=0.1", true), ("deflate, gzip;q=1.0", true),
        ("gzip;q=0", false), ("gzip;q=0.000", false), ("*;q=0", false), ("gzip;q=0, *", false), ("", false), ("identity", false),
        ("gzip;q=nonsense", false),
    ])
    func acceptEncodingQualityIsParsed(_ header: String, _ expected: Bool) {
        #expect(acceptsGzip(header) == expected)
    }
}

/// The fold's families and one of more series than `/metrics` renders whole (a large cluster's health).
struct LargeSource: MetricsSource {
    let fold = FoldSource()

    func families() -> [MetricFamily] {
        let series = (0..<(MonitorHTTP.streamedSeries + 5)).map { MetricSeries(["stream": "s\($0)", "cluster": "c"], value: .count(UInt64($0))) }
        return fold.families() + [try! MetricFamily(name: "a_large", help: "Many series.", type: .gauge, series: series)]
    }

    func notReadyReason() -> String? { nil }
}
