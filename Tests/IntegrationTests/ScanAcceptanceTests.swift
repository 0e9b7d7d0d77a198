import EventMetrics
import Foundation
import Monitor
import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Testing

/// The acceptance test of `scan`: the corpus, headers and raw bytes included, published into a stream of a real
/// nats-server, folded by `StreamScan` and by the `cim-monitor scan` executable, must give the labels the corpus
/// expects, in an exposition that Prometheus' own tools accept.
@Suite(.timeLimit(.minutes(3)))
struct ScanAcceptanceTests {
    static let stream = "CORPUS"

    /// A server whose stream `CORPUS` holds every corpus line, published with core NATS.
    static func serverWithCorpus() async throws -> (NATSServer, [CorpusLine]) {
        let corpus = try CorpusLine.load()
        let server = try NATSServer()
        try server.start()
        let client = try await server.connectedClient()
        let jetStream = JetStream(client: client)
        try await jetStream.createStream(StreamConfig(name: stream, subjects: CorpusLine.streamSubjects(corpus)))
        for message in corpus {
            try await client.publish(
                ByteBuffer(bytes: message.payload),
                to: message.subject,
                headers: message.headers.isEmpty ? nil : NATSHeaders(message.headers)
            )
        }
        try await client.flush()
        let stored = try await eventually { try await jetStream.streamInfo(stream).state.messages >= UInt64(corpus.count) }
        let info = try await jetStream.streamInfo(stream)
        await client.close()
        #expect(stored && info.state.messages == UInt64(corpus.count), "the stream holds \(info.state.messages) of \(corpus.count) corpus messages")
        return (server, corpus)
    }

    @Test func scanFoldsEveryCorpusMessageIntoTheLabelsTheCorpusExpects() async throws {
        let (server, corpus) = try await Self.serverWithCorpus()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let scan = StreamScan(jetStream: JetStream(client: client), stream: Self.stream, configuration: MonitorConfiguration())
        let fold = try await scan.run()
        await client.close()

        #expect(fold.eventsProcessed == UInt64(corpus.count))
        #expect(fold.lastSequence == UInt64(corpus.count))
        let expected = ExpectedCorpusMetrics(corpus)
        let samples = fold.families().flatMap { family in
            family.series.map { series in
                let isHistogram = if case .histogram = series.value { true } else { false }
                return PrometheusTools.Sample(
                    name: isHistogram ? family.name + "_count" : family.name,
                    labels: Dictionary(uniqueKeysWithValues: series.labels.map { ($0.name, $0.value) }),
                    value: Self.number(series.value)
                )
            }
        }
        Self.compare(samples, with: expected)
        // Each line on its own: the labels it must add to cim_events_total are there.
        let events = Set(samples.filter { $0.name == "cim_events_total" }.map { Self.key($0, "domain", "aggregate_type", "event_type") })
        for message in corpus {
            #expect(
                events.contains(ExpectedCorpusMetrics.key(message.expect.domain, message.expect.aggregateType, message.expect.eventType)),
                "corpus line \(message.name): no cim_events_total{\(message.expect.domain), \(message.expect.aggregateType), \(message.expect.eventType)}"
            )
        }
    }

    @Test(arguments: ["prometheus", "openmetrics"])
    func scanCommandPrintsTheCorpusMetricsInAnExpositionPrometheusToolsAccept(format: String) async throws {
        let (server, corpus) = try await Self.serverWithCorpus()
        defer { server.shutdown() }
        let result = try await CommandRunner.run(
            try CommandRunner.cimMonitor(),
            ["scan", "--stream", Self.stream, "--server", server.url, "--format", format]
        )
        try #require(result.status == 0, "scan exited with \(result.status): \(result.error)")
        #expect(result.error.isEmpty, "scan wrote to stderr: \(result.error)")
        if format == "openmetrics" {
            #expect(result.outputText.hasSuffix("# EOF\n"))
        }

        let check = try await PrometheusTools.check(result.output)
        if format == "openmetrics" {
            // promtool lints the Prometheus text format: it parses OpenMetrics, but reads the HELP of counter family
            // `x` (OpenMetrics names it without `_total`) as missing for the samples `x_total`. Nothing else may show.
            let unexpected = check.findings.split(separator: "\n").filter { finding in
                guard finding.hasSuffix("_total no help text") else { return true }
                let family = finding.dropLast("_total no help text".count)
                return !result.outputText.contains("# HELP \(family) ")
            }
            #expect(unexpected.isEmpty, "promtool check metrics: \(check.findings)")
        } else {
            #expect(check.status == 0 && check.findings.isEmpty, "promtool check metrics: \(check.findings)")
        }

        let samples = try await PrometheusTools.parse(result.output, openMetrics: format == "openmetrics").samples
        Self.compare(samples, with: ExpectedCorpusMetrics(corpus))
        let processed = samples.first { $0.name == "cim_monitor_events_processed_total" }?.value
        #expect(processed == Double(corpus.count))
    }

    @Test func streamReadPrintsEveryMessageOfTheStreamInOrder() async throws {
        let (server, corpus) = try await Self.serverWithCorpus()
        defer { server.shutdown() }
        let binary = try CommandRunner.cimMonitor()
        let quiet = try await CommandRunner.run(binary, ["stream", "read", Self.stream, "--server", server.url, "--quiet"])
        #expect(quiet.status == 0, "stream read exited with \(quiet.status): \(quiet.error)")
        #expect(quiet.output.isEmpty)
        #expect(quiet.error.hasPrefix("read \(corpus.count) messages"), "summary: \(quiet.error)")

        let loud = try await CommandRunner.run(binary, ["stream", "read", Self.stream, "--server", server.url, "--count", "3"])
        #expect(loud.status == 0, "stream read exited with \(loud.status): \(loud.error)")
        var expected: [UInt8] = []
        for (index, message) in corpus.prefix(3).enumerated() {
            expected += Array("\(message.subject) \(index + 1)\n".utf8) + message.payload + [UInt8(ascii: "\n")]
        }
        #expect(loud.output == expected)
    }

    @Test func scanExitsWithOneLineOnABadConfigOrAnUnknownStream() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.shutdown() }
        let binary = try CommandRunner.cimMonitor()
        let directory = server.directory
        let badYAML = directory.appendingPathComponent("bad.yaml")
        try "mapping:\n  rules:\n    - aggregate_type: [unclosed\n".write(to: badYAML, atomically: true, encoding: .utf8)
        let badRule = directory.appendingPathComponent("bad-rule.yaml")
        try "mapping:\n  rules:\n    - subject: \"orders.{domain\"\n".write(to: badRule, atomically: true, encoding: .utf8)
        let badLimit = directory.appendingPathComponent("bad-limit.yaml")
        try "cardinality:\n  domain: many\n".write(to: badLimit, atomically: true, encoding: .utf8)

        let cases: [(String, [String])] = [
            ("invalid YAML", ["--config", badYAML.path]),
            ("a bad mapping rule", ["--config", badRule.path]),
            ("a bad cardinality limit", ["--config", badLimit.path]),
            ("a missing config file", ["--config", directory.appendingPathComponent("missing.yaml").path]),
            ("an unknown stream", []),
        ]
        for (what, extra) in cases {
            let result = try await CommandRunner.run(binary, ["scan", "--stream", "NO_SUCH_STREAM", "--server", server.url] + extra)
            #expect(result.status == 1, "\(what): exit status \(result.status)")
            #expect(result.output.isEmpty, "\(what): stdout \(result.outputText)")
            let lines = result.error.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2 && lines[1].isEmpty && lines[0].hasPrefix("error: "), "\(what): stderr is not one line: \(result.error)")
        }
    }

    /// Compares the event families with the corpus: every series, label by label, and nothing more.
    static func compare(
        _ samples: [PrometheusTools.Sample],
        with expected: ExpectedCorpusMetrics,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        func counts(_ name: String, _ labels: String...) -> [String: UInt64] {
            samples.filter { $0.name == name }.reduce(into: [:]) { counts, sample in
                counts[key(sample, labels), default: 0] += UInt64(sample.value)
            }
        }
        var actual = ExpectedCorpusMetrics()
        actual.events = counts("cim_events_total", "domain", "aggregate_type", "event_type")
        actual.failures = counts("cim_events_failed_total", "domain", "aggregate_type", "event_type", "error_type")
        actual.violations = counts("cim_event_schema_violations_total", "domain", "reason")
        actual.timedEvents = counts("cim_event_publish_delay_seconds_count", "domain").filter { $0.value > 0 }
        for sample in samples where sample.name == "cim_event_last_timestamp_seconds" {
            actual.lastTimestamps[sample.labels["domain"] ?? "?"] = sample.value
        }
        report(actual.events, expected.events, "cim_events_total", sourceLocation)
        report(actual.failures, expected.failures, "cim_events_failed_total", sourceLocation)
        report(actual.violations, expected.violations, "cim_event_schema_violations_total", sourceLocation)
        report(actual.timedEvents, expected.timedEvents, "cim_event_publish_delay_seconds_count", sourceLocation)
        #expect(Set(actual.lastTimestamps.keys) == Set(expected.lastTimestamps.keys), sourceLocation: sourceLocation)
        for (domain, time) in expected.lastTimestamps {
            let got = actual.lastTimestamps[domain] ?? .nan
            #expect(
                abs(got - time) < 0.001,
                "cim_event_last_timestamp_seconds{domain=\(domain)} is \(got), want \(time)",
                sourceLocation: sourceLocation
            )
        }
        let duplicates = samples.filter { $0.name == "cim_event_duplicates_total" && $0.value != 0 }
        #expect(duplicates.isEmpty, "unexpected duplicates: \(duplicates)", sourceLocation: sourceLocation)
    }

    static func report<Value: Equatable>(_ actual: [String: Value], _ expected: [String: Value], _ family: String, _ location: SourceLocation) {
        for key in Set(actual.keys).union(expected.keys).sorted() where actual[key] != expected[key] {
            Issue.record(
                "\(family){\(key)}: got \(actual[key].map { "\($0)" } ?? "no series"), want \(expected[key].map { "\($0)" } ?? "no series")",
                sourceLocation: location
            )
        }
    }

    static func key(_ sample: PrometheusTools.Sample, _ labels: String...) -> String { key(sample, labels) }

    static func key(_ sample: PrometheusTools.Sample, _ labels: [String]) -> String {
        labels.map { sample.labels[$0] ?? "<missing \($0)>" }.joined(separator: "|")
    }

    static func number(_ value: MetricValue) -> Double {
        switch value {
        case .count(let count): Double(count)
        case .number(let number): number
        case .histogram(let histogram): Double(histogram.bucketCounts.reduce(0, +))
        }
    }
}
