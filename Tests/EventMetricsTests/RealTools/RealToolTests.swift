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
        let text = try ExpositionFormat.prometheus.render(RandomExposition.families(seed: seed))
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("metrics.prom")
        try Data(text).write(to: file)
        let result = try await ExternalTool.run(["promtool", "check", "metrics"], stdinFile: file)
        guard ExternalTool.requireInstalled(result, "promtool", install: "install Debian's prometheus package (apt-get install prometheus)") else {
            return
        }
        #expect(result.status == 0, "promtool: \(result.outputText)\(result.error)")
        #expect(result.output.isEmpty && result.error.isEmpty, "promtool findings: \(result.outputText)\(result.error)")
    }

    @Test(arguments: [ExpositionFormat.prometheus, .openMetrics], seeds)
    func pythonClientParsesEverySampleBackExactly(format: ExpositionFormat, seed: UInt64) async throws {
        let families = try RandomExposition.families(seed: seed)
        let parsed = try await Self.parseWithPython(format.render(families), format: format)
        let expected = Self.expectedSamples(families, format: format)
        #expect(parsed.families == expected.families)
        #expect(parsed.samples.count == expected.samples.count)
        for (got, want) in zip(parsed.samples.sorted(), expected.samples.sorted()) where got != want {
            Issue.record("sample differs:\n  parsed   \(got)\n  expected \(want)")
            break
        }
    }

    @Test func promtoolRejectsABrokenExposition() async throws {
        // Guards the guard: the promtool check must be able to fail.
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("broken.prom")
        try Data("# HELP x_total h\n# TYPE x_total counter\nx_total{a=\"b\"c\"} 1\n".utf8).write(to: file)
        let result = try await ExternalTool.run(["promtool", "check", "metrics"], stdinFile: file)
        guard ExternalTool.requireInstalled(result, "promtool", install: "install Debian's prometheus package (apt-get install prometheus)") else {
            return
        }
        #expect(result.status != 0)
    }

    @Test func aMissingToolFailsTheTest() async throws {
        let result = try await ExternalTool.run(["cim-monitor-no-such-tool"])
        let message = result.missingTool("cim-monitor-no-such-tool", install: "install it")
        #expect(message?.hasPrefix("cim-monitor-no-such-tool is not on PATH") == true)
        #expect(message?.hasSuffix("; install it") == true)
        #expect(try await ExternalTool.run(["true"]).missingTool("true", install: "") == nil)
    }

    @Test func pythonClientRejectsABrokenExposition() async throws {
        // Guards the guard: the parser check must be able to fail.
        let broken = Array("# TYPE x counter\nx_total{a=\"unterminated} 1\n# EOF\n".utf8)
        await #expect(throws: (any Error).self) { try await Self.parseWithPython(broken, format: .openMetrics) }
    }

    struct Sample: Comparable, CustomStringConvertible {
        var name: String
        var labels: [String: String]
        var value: Double

        var key: String { name + "\u{1}" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}") }

        static func < (lhs: Self, rhs: Self) -> Bool { Array(lhs.key.utf8).lexicographicallyPrecedes(Array(rhs.key.utf8)) }

        static func == (lhs: Self, rhs: Self) -> Bool {
            Array(lhs.key.utf8) == Array(rhs.key.utf8) && (lhs.value.bitPattern == rhs.value.bitPattern || (lhs.value.isNaN && rhs.value.isNaN))
        }

        var description: String { "\(name)\(labels.sorted { $0.key < $1.key }) \(value)" }
    }

    struct Parsed {
        /// Family name, type and unit, in order.
        var families: [String]
        var samples: [Sample]
    }

    static let script = """
        import json, sys
        path, fmt = sys.argv[1], sys.argv[2]
        try:
            if fmt == "openmetrics":
                from prometheus_client.openmetrics.parser import text_string_to_metric_families
            else:
                from prometheus_client.parser import text_string_to_metric_families
        except ImportError as error:
            print("MISSING prometheus_client: " + str(error), file=sys.stderr)
            sys.exit(3)
        text = open(path, "rb").read().decode("utf-8")
        families, samples = [], []
        for family in text_string_to_metric_families(text):
            families.append("%s %s %s" % (family.name, family.type, family.unit))
            for sample in family.samples:
                labels = dict(sample.labels)
                if "le" in labels:
                    labels["le"] = repr(float(labels["le"]))
                samples.append([sample.name, labels, repr(float(sample.value))])
        print(json.dumps({"families": families, "samples": samples}))
        """

    /// Parses an exposition with the Python client's parser; throws when the parser rejects it.
    static func parseWithPython(_ bytes: [UInt8], format: ExpositionFormat) async throws -> Parsed {
        let directory = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("metrics.txt")
        try Data(bytes).write(to: file)
        let result = try await ExternalTool.run(["python3", "-c", script, file.path, format == .openMetrics ? "openmetrics" : "text"])
        guard ExternalTool.requireInstalled(result, "python3", install: "install python3") else { throw ToolFailure(message: "python3 missing") }
        if result.status == 3 {
            Issue.record("prometheus_client is not installed (\(result.error)); run: pip install prometheus_client")
            throw ToolFailure(message: "prometheus_client missing")
        }
        guard result.status == 0 else { throw ToolFailure(message: "the parser rejected the exposition: \(result.error.suffix(2000))") }
        let object = try JSONSerialization.jsonObject(with: Data(result.output)) as? [String: Any]
        let families = object?["families"] as? [String] ?? []
        let samples = (object?["samples"] as? [[Any]] ?? []).map { row in
            var labels = row[1] as? [String: String] ?? [:]
            // The bucket bound compares as a number: Python's repr and Swift's description spell some differently.
            if let le = labels["le"] { labels["le"] = Double(le)?.description ?? "unreadable \(le)" }
            return Sample(name: row[0] as? String ?? "", labels: labels, value: Double(row[2] as? String ?? "") ?? -42)
        }
        return Parsed(families: families, samples: samples)
    }

    struct ToolFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// What the parser must find: every family in name order, every sample with its exact labels and value.
    static func expectedSamples(_ families: [MetricFamily], format: ExpositionFormat) -> Parsed {
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
        return Parsed(families: names, samples: samples)
    }
}
