import Foundation
import NATSTestSupport
import Testing
import Yams

/// The deployment passes the tools operators run on it: promtool (config, rules, rule unit tests), amtool
/// (configuration and routing cases) and nix-instantiate (every .nix parses); and the rules keep the conventions the
/// runbooks and the routing rely on.
@Suite(.timeLimit(.minutes(2)))
struct DeployToolTests {
    /// The alerts the runbooks and the other helpers' work refer to by name.
    static let alertNames: Set<String> = [
        "NATSServerDown", "NATSClusterBelowExpectedSize", "NATSNoMetaLeader", "NATSJetStreamStorageHigh", "NATSJetStreamStorageCritical",
        "NATSConsumerLagHigh", "NATSConsumerStalled", "NATSSlowConsumers", "CIMEventProcessingLagHigh", "CIMDomainFailureRatioHigh",
        "CIMDomainSilent", "CIMSchemaViolations", "CIMDuplicateBurst", "CIMNoEvents", "CIMMonitorDown", "CIMMonitorNotReady",
        "CIMMonitorNATSDisconnected", "CIMMonitorSnapshotStale", "CIMMonitorCardinalityOverflow", "CIMMonitorFallingBehind",
        "GPUTemperatureHigh", "GPUMemoryHigh", "GPUThrottling", "GPUXidErrors", "GPUDoubleBitECCErrors", "GPUDown",
        "GPUAllocationFailures", "CIMWorkflowStalled",
    ]

    /// The runbook each alert links to.
    static func runbook(of alert: String) -> String {
        if alert.hasPrefix("NATS") || alert == "CIMMonitorNATSDisconnected" { return "nats-recovery.md" }
        if alert.hasPrefix("GPU") { return "gpu-failure.md" }
        if ["CIMMonitorDown", "CIMMonitorNotReady", "CIMMonitorSnapshotStale"].contains(alert) { return "backup-restore.md" }
        return "event-replay.md"
    }

    @Test func promtoolAcceptsTheConfigurationAndTheRules() async throws {
        let tree = DeployTree()
        let config = try await ProgramRun.tool(
            ["promtool", "check", "config", tree.url("deploy/prometheus/prometheus.yml").path],
            install: PrometheusTools.installPromtool
        )
        #expect(config.status == 0, "\(config.outputText)\(config.error)")
        let ruleFiles = try tree.files(in: "deploy/prometheus/rules", suffix: ".yml").map { tree.url("deploy/prometheus/rules/\($0)").path }
        let rules = try await ProgramRun.tool(["promtool", "check", "rules"] + ruleFiles, install: PrometheusTools.installPromtool)
        #expect(rules.status == 0, "\(rules.outputText)\(rules.error)")
    }

    @Test func ruleUnitTestsPass() async throws {
        let tree = DeployTree()
        let files = try tree.files(in: "deploy/prometheus/tests", suffix: ".test.yml").map { tree.url("deploy/prometheus/tests/\($0)").path }
        #expect(files.count >= 5)
        let run = try await ProgramRun.tool(["promtool", "test", "rules"] + files, install: PrometheusTools.installPromtool)
        #expect(run.status == 0, "\(run.outputText.suffix(4000))\(run.error.suffix(4000))")
        let cases = try Self.unitTestCases(tree)
        print(
            "deploy: promtool test rules: \(files.count) files, \(cases.firing + cases.quiet) alert cases "
                + "(\(cases.firing) firing, \(cases.quiet) quiet), \(cases.expressions) recording-rule cases"
        )
    }

    @Test func everyAlertFiresAndStaysQuietInAUnitTestAndEveryRecordingRuleIsTested() throws {
        let tree = DeployTree()
        let rules = try tree.rules()
        let cases = try Self.unitTestCases(tree)
        for alert in rules.compactMap(\.alert) {
            #expect(cases.firingAlerts.contains(alert), "\(alert) never fires in deploy/prometheus/tests")
            #expect(cases.quietAlerts.contains(alert), "\(alert) is never shown quiet in deploy/prometheus/tests")
        }
        for record in rules.compactMap(\.record) {
            #expect(cases.testedExpressions.contains { PromQL.metricNames(in: $0).contains(record) }, "recording rule \(record) is not tested")
        }
    }

    @Test func alertsCarryTheNamesSeverityAnnotationsAndRunbooksTheRoutingExpects() throws {
        let alerts = try DeployTree().rules().filter { $0.alert != nil }
        #expect(Set(alerts.compactMap(\.alert)) == Self.alertNames)
        #expect(alerts.count == Self.alertNames.count, "an alert name is used twice")
        for rule in alerts {
            let name = rule.alert ?? ""
            #expect(
                ["critical", "warning", "info"].contains(rule.labels["severity"] ?? ""),
                "\(name): severity \(rule.labels["severity"] ?? "none")"
            )
            #expect(!(rule.annotations["summary"] ?? "").isEmpty, "\(name): no summary")
            #expect(!(rule.annotations["description"] ?? "").isEmpty, "\(name): no description")
            #expect(
                rule.annotations["runbook_url"] == "docs/runbooks/\(Self.runbook(of: name))#\(name.lowercased())",
                "\(name): runbook_url \(rule.annotations["runbook_url"] ?? "none")"
            )
        }
    }

    /// Once the runbooks are in the tree, every runbook_url names a file that exists and a heading of it.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: DeployTree().url("docs/runbooks").path)))
    func everyRunbookURLPointsAtAnExistingHeading() throws {
        let tree = DeployTree()
        for rule in try tree.rules() {
            guard let url = rule.annotations["runbook_url"] else { continue }
            let parts = url.split(separator: "#", maxSplits: 1).map(String.init)
            guard parts.count == 2, let text = try? tree.text(parts[0]) else {
                Issue.record("\(rule.alert ?? "?"): \(url) names no file of the repository")
                continue
            }
            let anchors = text.split(separator: "\n").filter { $0.hasPrefix("#") }.map { Self.githubAnchor(String($0)) }
            #expect(anchors.contains(parts[1]), "\(rule.alert ?? "?"): \(parts[0]) has no heading with anchor #\(parts[1])")
        }
    }

    @Test func amtoolAcceptsTheConfigurationAndRoutesEveryCase() async throws {
        let tree = DeployTree()
        let config = tree.url("deploy/alertmanager/alertmanager.yml").path
        let check = try await ProgramRun.tool(["amtool", "check-config", config], install: Self.installAmtool)
        #expect(check.status == 0, "\(check.outputText)\(check.error)")
        let cases = try tree.text("deploy/alertmanager/routes.test").split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(cases.count >= 8)
        var receivers = Set<String>()
        for line in cases {
            let words = line.split(separator: " ").map(String.init)
            receivers.insert(words[0])
            let run = try await ProgramRun.tool(
                ["amtool", "config", "routes", "test", "--config.file=\(config)", "--verify.receivers=\(words[0])"] + words.dropFirst(),
                install: Self.installAmtool
            )
            #expect(run.status == 0, "\(line): routed to \(run.outputText.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        #expect(receivers == ["paging", "chat", "blackhole"])
        // A case that must fail, so a routing test that accepts anything would be noticed.
        let wrong = try await ProgramRun.tool(
            ["amtool", "config", "routes", "test", "--config.file=\(config)", "--verify.receivers=paging", "severity=warning", "alertname=X"],
            install: Self.installAmtool
        )
        #expect(wrong.status != 0, "a warning alert was routed to the paging receiver")
        print("deploy: amtool routes test: \(cases.count) cases")
    }

    @Test func everyNixFileParses() async throws {
        let tree = DeployTree()
        let files = ["flake.nix"] + (try tree.files(in: "nix", suffix: ".nix")).map { "nix/\($0)" }
        #expect(files.count >= 3)
        for file in files {
            let run = try await ProgramRun.tool(["nix-instantiate", "--parse", tree.url(file).path], install: "install Debian's nix-bin")
            #expect(run.status == 0, "\(file): \(run.error)")
        }
    }

    static let installAmtool = "install Debian's prometheus-alertmanager (apt-get install prometheus-alertmanager)"

    /// GitHub's anchor of a Markdown heading: lower case, spaces to dashes, punctuation other than - and _ dropped.
    static func githubAnchor(_ heading: String) -> String {
        let title = heading.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
        return String(title.compactMap { $0 == " " ? "-" : ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : nil) })
    }

    /// What the promtool unit tests cover.
    struct UnitTestCases {
        var firing = 0
        var quiet = 0
        var expressions = 0
        var firingAlerts = Set<String>()
        var quietAlerts = Set<String>()
        var testedExpressions: [String] = []
    }

    static func unitTestCases(_ tree: DeployTree) throws -> UnitTestCases {
        var cases = UnitTestCases()
        for file in try tree.files(in: "deploy/prometheus/tests", suffix: ".test.yml") {
            let node = try Yams.load(yaml: try tree.text("deploy/prometheus/tests/\(file)")) as? [String: Any]
            for test in node?["tests"] as? [[String: Any]] ?? [] {
                for alertTest in test["alert_rule_test"] as? [[String: Any]] ?? [] {
                    let name = alertTest["alertname"] as? String ?? ""
                    if (alertTest["exp_alerts"] as? [Any] ?? []).isEmpty {
                        cases.quiet += 1
                        cases.quietAlerts.insert(name)
                    } else {
                        cases.firing += 1
                        cases.firingAlerts.insert(name)
                    }
                }
                for expressionTest in test["promql_expr_test"] as? [[String: Any]] ?? [] {
                    cases.expressions += 1
                    cases.testedExpressions.append(expressionTest["expr"] as? String ?? "")
                }
            }
        }
        return cases
    }
}
