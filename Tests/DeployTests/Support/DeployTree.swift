import Foundation
import Yams

/// The files under deploy/ as the tests read them: rule groups, dashboards, the Alertmanager configuration.
struct DeployTree {
    /// One rule of a rule file.
    struct Rule: Sendable {
        var file: String
        var group: String
        /// The alert's name, or `nil` for a recording rule.
        var alert: String?
        /// The recording rule's name, or `nil` for an alert.
        var record: String?
        var expression: String
        var duration: String?
        var labels: [String: String]
        var annotations: [String: String]
    }

    /// One query of a dashboard: a panel target or a template variable.
    struct DashboardQuery: Sendable, CustomStringConvertible {
        var dashboard: String
        var place: String
        var expression: String
        var description: String { "\(dashboard) / \(place): \(expression)" }
    }

    let root: URL

    /// The repository: three folders above this file (Tests/DeployTests/Support).
    init() {
        root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    func text(_ path: String) throws -> String { try String(contentsOf: url(path), encoding: .utf8) }

    /// File names (not paths) in a folder of the repository that end with `suffix`, sorted.
    func files(in folder: String, suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(folder).path).filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// Every rule of deploy/prometheus/rules/*.yml.
    func rules() throws -> [Rule] {
        var rules: [Rule] = []
        for file in try files(in: "deploy/prometheus/rules", suffix: ".yml") {
            let node = try Yams.load(yaml: try text("deploy/prometheus/rules/\(file)")) as? [String: Any]
            for group in node?["groups"] as? [[String: Any]] ?? [] {
                for rule in group["rules"] as? [[String: Any]] ?? [] {
                    rules.append(
                        Rule(
                            file: file,
                            group: group["name"] as? String ?? "",
                            alert: rule["alert"] as? String,
                            record: rule["record"] as? String,
                            expression: (rule["expr"] as? String ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                            duration: rule["for"] as? String,
                            labels: rule["labels"] as? [String: String] ?? [:],
                            annotations: rule["annotations"] as? [String: String] ?? [:]
                        )
                    )
                }
            }
        }
        return rules
    }

    /// Every dashboard of deploy/grafana/dashboards, by file name, as JSON objects.
    func dashboards() throws -> [(file: String, json: [String: Any])] {
        try files(in: "deploy/grafana/dashboards", suffix: ".json").map { file in
            let data = try Data(contentsOf: url("deploy/grafana/dashboards/\(file)"))
            guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw DeployTreeError(message: "\(file) is not a JSON object")
            }
            return (file, json)
        }
    }

    /// Every panel of a dashboard, rows' nested panels included.
    static func panels(of dashboard: [String: Any]) -> [[String: Any]] {
        (dashboard["panels"] as? [[String: Any]] ?? []).flatMap { panel in [panel] + (panel["panels"] as? [[String: Any]] ?? []) }
    }

    /// The template variables of a dashboard.
    static func variables(of dashboard: [String: Any]) -> [[String: Any]] {
        (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
    }

    /// Every panel target expression and every query variable of every dashboard, as written (variables unsubstituted).
    func dashboardQueries() throws -> (targets: [DashboardQuery], variables: [DashboardQuery]) {
        var targets: [DashboardQuery] = []
        var variables: [DashboardQuery] = []
        for (file, json) in try dashboards() {
            for panel in Self.panels(of: json) {
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    guard let expression = target["expr"] as? String else { continue }
                    let place = "\(panel["title"] as? String ?? "?") [\(target["refId"] as? String ?? "?")]"
                    targets.append(DashboardQuery(dashboard: file, place: place, expression: expression))
                }
            }
            for variable in Self.variables(of: json) where variable["type"] as? String == "query" {
                let query = (variable["query"] as? [String: Any])?["query"] as? String ?? variable["query"] as? String ?? ""
                variables.append(DashboardQuery(dashboard: file, place: "$\(variable["name"] as? String ?? "?")", expression: query))
            }
        }
        return (targets, variables)
    }

    /// The series selectors of the promtool unit tests' input series.
    func unitTestSeries() throws -> [String] {
        var series: [String] = []
        for file in try files(in: "deploy/prometheus/tests", suffix: ".yml") {
            let node = try Yams.load(yaml: try text("deploy/prometheus/tests/\(file)")) as? [String: Any]
            for test in node?["tests"] as? [[String: Any]] ?? [] {
                series += (test["input_series"] as? [[String: Any]] ?? []).compactMap { $0["series"] as? String }
            }
        }
        return series
    }
}

/// A file under deploy/ is not what the tests expect.
struct DeployTreeError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
