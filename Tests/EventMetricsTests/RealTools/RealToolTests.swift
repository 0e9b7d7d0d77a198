import Foundation
import NATSTestSupport
import Testing

@testable import EventMetrics

/// The exposition checked by the tools Prometheus users run: `promtool check metrics` and the parsers of the
/// Python client (text and OpenMetrics). A missing tool fails the test; `scripts/test` installs them.
@Suite(.serialized, .timeLimit(.minutes(2))) struct RealToolTests {
    static let seeds: [UInt64] = [1, 2, 3]

    @Test(arguments: seeds)
    func promtoolAcceptsTheTextExpositionWithoutLintFindings(seed: UInt64) async throws {
        let check = try await PrometheusTools.check(ExpositionFormat.prometheus.render(RandomExposition.families(seed: seed)))
        #expect(check.status == 0, "promtool: \(check.findings)")
        #expect(check.findings.isEmpty, "promtool findings: \(check.findings)")
    }

    @Test(arguments: [ExpositionFormat.prometheus, .openMetrics], seeds)
    func pythonClientParsesEverySampleBackExactly(format: ExpositionFormat, seed: UInt64) async throws {
        let families = try RandomExposition.families(seed: seed)
        let parsed = try await PrometheusTools.parse(format.render(families), openMetrics: format == .openMetrics)
        let expected = Self.expectedSamples(families, format: format)
        #expect(parsed.families == expected.families)
        #expect(parsed.samples.count == expected.samples.count)
        for (got, want) in zip(Self.sorted(parsed.samples), Self.sorted(expected.samples)) where !Self.same(got, want) {
            Issue.record("sample differs:\n  parsed   \(Self.describe(got))\n  expected \(Self.describe(want))")
            break
        }
    }

    /// `PrometheusTools.samples`, the reader the tests poll `/metrics` with, against the Python client.
    @Test(arguments: [ExpositionFormat.prometheus, .openMetrics], seeds)
    func theTestsOwnReaderReadsWhatThePythonClientReads(format: ExpositionFormat, seed: UInt64) async throws {
        let exposition = try format.render(RandomExposition.families(seed: seed))
        let reference = try await PrometheusTools.parse(exposition, openMetrics: format == .openMetrics).samples
        let read = PrometheusTools.samples(String(decoding: exposition, as: UTF8.self))
        #expect(read.count == reference.count)
        for (got, want) in zip(Self.sorted(read), Self.sorted(reference)) where !Self.same(got, want) {
            Issue.record("sample differs:\n  read      \(Self.describe(got))\n  reference \(Self.describe(want))")
            break
        }
    }

    @Test func promtoolRejectsABrokenExposition() async throws {
        // Guards the guard: the promtool check must be able to fail.
        let check = try await PrometheusTools.check(Array("# HELP x_total h\n# TYPE x_total counter\nx_total{a=\"b\"c\"} 1\n".utf8))
        #expect(check.status != 0)
    }

    @Test func aMissingToolFailsTheTest() async throws {
        await #expect {
            try await ProgramRun.tool(["cim-monitor-no-such-tool"], install: "install it")
        } throws: { error in
            let message = String(describing: error)
            return message.hasPrefix("cim-monitor-no-such-tool is not on PATH") && message.hasSuffix("; install it")
        }
        #expect(try await ProgramRun.tool(["true"], install: "").status == 0)
    }

    @Test func pythonClientRejectsABrokenExposition() async throws {
        // Guards the guard: the parser check must be able to fail.
        let broken = Array("# TYPE x counter\nx_total{a=\"unterminated} 1\n# EOF\n".utf8)
        await #expect(throws: ProgramRun.Failure.self) { try await PrometheusTools.parse(broken, openMetrics: true) }
    }

    typealias Sample = PrometheusTools.Sample

    /// Name and labels, in one string that orders samples.
    static func key(_ sample: Sample) -> [UInt8] {
        Array((sample.name + "\u{1}" + sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}")).utf8)
    }

    static func sorted(_ samples: [Sample]) -> [Sample] { samples.sorted { key($0).lexicographicallyPrecedes(key($1)) } }

    /// The same name, labels and value, to the bit (any NaN equals any NaN).
    static func same(_ a: Sample, _ b: Sample) -> Bool {
        key(a) == key(b) && (a.value.bitPattern == b.value.bitPattern || (a.value.isNaN && b.value.isNaN))
    }

    static func describe(_ sample: Sample) -> String { "\(sample.name)\(sample.labels.sorted { $0.key < $1.key }) \(sample.value)" }

    /// What the parser must find: every family in name order, every sample with its exact labels and value.
    static func expectedSamples(_ families: [MetricFamily], format: ExpositionFormat) -> (families: [String], samples: [Sample]) {
        var names: [String] = []
        var samples: [Sample] = []
        for family in families.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
            let base = String(family.openMetricsName)
            let unit = format == .openMetrics ? (family.unit ?? "") : ""
            names.append("\(base) \(family.type.rawValue) \(unit)")
            for series in family.series {
                let labels = Dictionary(uniqueKeysWithValues: series.labels.map { ($0.name, $0.value) })
                switch series.value {
                case .count(let value): samples.append(Sample(name: family.name, labels: labels, value: Double(value)))
                case .number(let value): samples.append(Sample(name: family.name, labels: labels, value: value))
                case .histogram(let histogram):
                    var cumulative: UInt64 = 0
                    for (index, count) in histogram.bucketCounts.enumerated() {
                        cumulative += count
                        let bound = index < histogram.upperBounds.count ? histogram.upperBounds[index] : .infinity
                        var withBound = labels
                        withBound["le"] = bound.description
                        samples.append(Sample(name: family.name + "_bucket", labels: withBound, value: Double(cumulative)))
                    }
                    samples.append(Sample(name: family.name + "_sum", labels: labels, value: histogram.sum))
                    samples.append(Sample(name: family.name + "_count", labels: labels, value: Double(cumulative)))
                }
            }
        }
        return (names, samples)
    }
}
