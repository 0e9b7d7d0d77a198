import Foundation
import NATSTestSupport
import Testing

/// No undeclared names: every metric name referenced under deploy/ (rules, dashboards, variables, the rule unit
/// tests' input series) is exposed by a live `serve` folding the simulated workload, or documented in
/// docs/ARCHITECTURE.md, or recorded by a rule under deploy/, or one of Prometheus' own series.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DeclaredNamesTests {
    /// Series Prometheus itself writes for every target.
    static let prometheusSeries: Set<String> = ["up"]

    /// The metric names the first column of docs/ARCHITECTURE.md's "Metric families" tables names, with a histogram's
    /// `_bucket`, `_sum` and `_count`; `*` in a documented name stands for any characters.
    static func documentedNames(_ tree: DeployTree) throws -> (names: Set<String>, patterns: [String]) {
        let text = try tree.text("docs/ARCHITECTURE.md")
        guard let start = text.range(of: "\n## Metric families\n") else { return ([], []) }
        let section = text[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        var names = Set<String>()
        var patterns: [String] = []
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.dropFirst().split(separator: "|", omittingEmptySubsequences: false)
            let histogram = cells.count > 1 && cells[1].contains("histogram")
            for piece in cells[0].split(separator: "`", omittingEmptySubsequences: false).enumerated() where piece.offset % 2 == 1 {
                let name = String(piece.element)
                if name.contains("*") {
                    patterns.append(name)
                    continue
                }
                names.insert(name)
                if histogram { names.formUnion(["_bucket", "_sum", "_count"].map { name + $0 }) }
            }
        }
        return (names, patterns)
    }

    static func matches(_ name: String, pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, name.hasPrefix(first) else { return false }
        var rest = Substring(name.dropFirst(first.count))
        for part in parts.dropFirst() {
            if part.isEmpty { continue }
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return parts.last?.isEmpty == true || name.hasSuffix(parts.last ?? "")
    }

    /// Every metric name referenced under deploy/, with where.
    static func referencedNames(_ tree: DeployTree) throws -> [String: String] {
        var referenced: [String: String] = [:]
        for rule in try tree.rules() {
            for name in PromQL.metricNames(in: rule.expression) {
                referenced[name] = referenced[name] ?? "\(rule.file): \(rule.alert ?? rule.record ?? "")"
            }
        }
        let queries = try tree.dashboardQueries()
        for query in queries.targets {
            for name in PromQL.metricNames(in: PromQL.substitutingGrafanaVariables(query.expression)) {
                referenced[name] = referenced[name] ?? query.description
            }
        }
        for query in queries.variables {
            guard let (selector, _) = PromQL.labelValues(query.expression) else { continue }
            for name in PromQL.metricNames(in: PromQL.substitutingGrafanaVariables(selector)) {
                referenced[name] = referenced[name] ?? query.description
            }
        }
        for series in try tree.unitTestSeries() {
            for name in PromQL.metricNames(in: series) { referenced[name] = referenced[name] ?? "deploy/prometheus/tests: \(series)" }
        }
        return referenced
    }

    @Test func everyMetricNameUnderDeployIsExposedOrDocumented() async throws {
        let tree = DeployTree()
        let stack = try LiveStack(instance: "deploy-names")
        defer { stack.shutdown() }
        try await stack.start()
        try await stack.simulate(count: 3000, seed: 5)
        try await stack.waitFolded(3001)
        let exposition = try await stack.metrics()
        var exposed = Set(PrometheusTools.samples(exposition).map(\.name))
        for line in exposition.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            if let name = line.split(separator: " ").dropFirst(2).first { exposed.insert(String(name)) }
        }
        let documented = try Self.documentedNames(tree)
        let recorded = Set(try tree.rules().compactMap(\.record))
        let referenced = try Self.referencedNames(tree)
        #expect(referenced.count > 40, "\(referenced.keys.sorted())")
        var undeclared: [String] = []
        for (name, place) in referenced.sorted(by: { $0.key < $1.key }) {
            let declared =
                exposed.contains(name) || documented.names.contains(name) || recorded.contains(name) || Self.prometheusSeries.contains(name)
                || documented.patterns.contains { Self.matches(name, pattern: $0) }
            if !declared { undeclared.append("\(name) (in \(place))") }
        }
        #expect(
            undeclared.isEmpty,
            "metric names under deploy/ that serve does not expose and docs/ARCHITECTURE.md does not document:\n\(undeclared.joined(separator: "\n"))"
        )
        let live = referenced.keys.filter { exposed.contains($0) }.count
        print(
            "deploy: \(referenced.count) metric names referenced under deploy/: \(live) exposed live, "
                + "\(referenced.count - live) documented, recorded or Prometheus' own"
        )
    }

    @Test func documentedPatternsMatchAsGlobs() {
        #expect(Self.matches("nats_varz_in_msgs", pattern: "nats_varz_*"))
        #expect(Self.matches("nats_stream_total_messages", pattern: "nats_*_total_messages"))
        #expect(!Self.matches("cim_nats_servers", pattern: "nats_*"))
        #expect(!Self.matches("nats_varz_in_msgs", pattern: "nats_connz_*"))
    }
}
