import CIMSimulation
import Foundation
import NATSTestSupport
import Testing

/// The deployment on live data: a real Prometheus runs the shipped configuration and rules against a live `serve`
/// folding the simulated workload (every domain, failures, workflows, GPU samples) and watching its nats-server; every
/// dashboard query, template variable and recording rule returns data, every alert's selectors return series; a real
/// Alertmanager from the shipped routing delivers a failure burst's warning to chat, a stopped nats-server's page to
/// the paging receiver, and holds back what the outage inhibits.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct EndToEndTests {
    /// Selectors of alert expressions that a healthy run legitimately leaves without series, and why. Their alerts are
    /// still checked through every other selector, and fire in the promtool unit tests.
    static let legitimatelyEmpty: [String: String] = [
        "cim_monitor_series_overflow_total": "a family's overflow series appears with its first overflow; the workload stays within the limits"
    ]

    /// What a NATS outage must not deliver: the symptoms the inhibition rules hold back.
    static let inhibitedByNATSOutage: Set<String> = [
        "NATSConsumerLagHigh", "NATSConsumerStalled", "CIMMonitorNATSDisconnected", "CIMMonitorNotReady", "CIMMonitorFallingBehind",
        "CIMEventProcessingLagHigh", "CIMDomainSilent", "CIMNoEvents", "CIMWorkflowStalled",
    ]

    struct Check {
        var kind: String
        var place: String
        var query: String
    }

    @Test func everyQueryReturnsDataAndAlertsReachTheirReceivers() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let tree = DeployTree()
        let stack = try LiveStack(instance: "deploy-e2e")
        defer { stack.shutdown() }
        let webhook = WebhookReceiver()
        defer { webhook.stop() }
        try await stack.start()
        let alertmanager = try AlertmanagerProcess(configuration: TestDeployment.alertmanagerConfiguration(tree, webhook: webhook.url))
        defer { alertmanager.shutdown() }
        try await alertmanager.start()
        let prometheus = try PrometheusProcess(
            configuration: TestDeployment.prometheusConfiguration(tree, monitorPort: stack.monitor.port, alertmanagerPort: alertmanager.port),
            files: TestDeployment.ruleFiles(tree)
        )
        defer { prometheus.shutdown() }
        try await prometheus.start()

        // Live events: serve is caught up, so these are observed as they arrive.
        try await stack.simulate(count: 6000, rate: 2000, seed: 7)
        try await stack.waitFolded(6001)

        // Every query, as Grafana and the rules run it.
        let rules = try tree.rules()
        let queries = try tree.dashboardQueries()
        var checks: [Check] = []
        var legitimatelyEmptyChecks: [String] = []
        func add(_ kind: String, _ place: String, _ query: String) { checks.append(Check(kind: kind, place: place, query: query)) }
        for target in queries.targets {
            add("dashboard target", "\(target.dashboard) / \(target.place)", PromQL.substitutingGrafanaVariables(target.expression))
        }
        for variable in queries.variables {
            let (selector, label) = try #require(PromQL.labelValues(variable.expression), "\(variable) is not label_values(selector, label)")
            add(
                "template variable",
                "\(variable.dashboard) \(variable.place)",
                "count by (\(label)) (\(PromQL.substitutingGrafanaVariables(selector)))"
            )
        }
        let recording = rules.compactMap(\.record)
        for record in recording { add("recording rule", record, record) }
        var selectorCount = 0
        for rule in rules {
            guard let alert = rule.alert else { continue }
            for selector in Set(PromQL.selectors(in: rule.expression)) {
                selectorCount += 1
                if let reason = Self.legitimatelyEmpty[selector.name] {
                    legitimatelyEmptyChecks.append("\(alert): \(selector) (\(reason))")
                    continue
                }
                add("alert selector", "\(alert): \(selector)", selector.description)
            }
        }

        var failing = checks
        let deadline = Date().addingTimeInterval(45)
        while true {
            var still: [Check] = []
            for check in failing where (try? await prometheus.query(check.query))?.isEmpty ?? true { still.append(check) }
            failing = still
            if failing.isEmpty || Date() > deadline { break }
            try await Task.sleep(for: .seconds(1))
        }
        let everyQueryHasData = failing.isEmpty
        #expect(
            everyQueryHasData,
            "queries without data:\n\(failing.map { "\($0.kind) \($0.place): \($0.query)" }.joined(separator: "\n"))\n\(prometheus.log.suffix(1500))"
        )

        // The workload covers every domain, with failures and workflows (and GPUs of both vendors once they are folded).
        let domains = Set(try await prometheus.query("count by (domain) (cim_events_total)").compactMap { $0.labels["domain"] })
        #expect(domains.isSuperset(of: SimulatedWorkload.domains), "domains missing: \(Set(SimulatedWorkload.domains).subtracting(domains))")
        let failedDomains = try await prometheus.query("count by (domain) (cim_events_failed_total)")
        #expect(failedDomains.count >= 10, "failures in only \(failedDomains.count) domains")
        let vendors = Set(try await prometheus.query("count by (vendor) (cim_gpu_info)").compactMap { $0.labels["vendor"] })
        #expect(vendors.isSuperset(of: ["nvidia", "apple"]), "GPU vendors: \(vendors)")

        // A failure burst: the failure ratio's warning reaches chat, and only chat.
        try await stack.simulate(count: 3000, rate: 0, failureRate: 0.6, seed: 11)
        let burst = try await Self.waitForAlert(webhook, path: "/chat", alertname: "CIMDomainFailureRatioHigh", timeout: 60)
        #expect(burst?["severity"] == "warning", "no CIMDomainFailureRatioHigh at chat: \(Self.summary(webhook))\n\(alertmanager.log.suffix(1500))")
        #expect(burst?["domain"]?.isEmpty == false)
        #expect(burst?["annotations.runbook_url"] == "docs/runbooks/event-replay.md#cimdomainfailureratiohigh")
        #expect(!Self.alerts(webhook, path: "/paging").contains { $0["alertname"] == "CIMDomainFailureRatioHigh" })

        // A NATS outage: the page for the server, not for its symptoms.
        do {
            stack.nats.stop()
            let page = try await Self.waitForAlert(webhook, path: "/paging", alertname: "NATSServerDown", timeout: 60)
            #expect(page?["severity"] == "critical", "no NATSServerDown at paging: \(Self.summary(webhook))")
            #expect(page?["annotations.runbook_url"] == "docs/runbooks/nats-recovery.md#natsserverdown")
            // The monitor's own disconnection fires in Prometheus and reaches Alertmanager, which holds it back.
            let suppressed = try await Self.waitUntilInhibited(alertmanager, alertname: "CIMMonitorNATSDisconnected", timeout: 60)
            #expect(suppressed, "CIMMonitorNATSDisconnected never reached Alertmanager as inhibited: \(Self.summary(webhook))")
            try await Task.sleep(for: .seconds(3))
            let leaked = (Self.alerts(webhook, path: "/paging") + Self.alerts(webhook, path: "/chat")).filter {
                Self.inhibitedByNATSOutage.contains($0["alertname"] ?? "")
            }
            #expect(leaked.isEmpty, "inhibited alerts were delivered: \(leaked)")
        }

        let unitCases = try DeployToolTests.unitTestCases(tree)
        let dashboards = try tree.dashboards().count
        let seconds = Double((clock.now - started).components.seconds) + Double((clock.now - started).components.attoseconds) / 1e18
        print(
            """
            deploy end-to-end: \(dashboards) dashboards with \(queries.targets.count) panel queries and \(queries.variables.count) template variables; \
            \(recording.count) recording rules; \(rules.count - recording.count) alert rules with \(selectorCount) selectors
            deploy end-to-end: checked live \(checks.count - failing.count) of \(checks.count) queries with data; \
            \(legitimatelyEmptyChecks.count) selectors legitimately empty
            deploy end-to-end: alert unit-test cases \(unitCases.firing + unitCases.quiet) (\(unitCases.firing) firing, \(unitCases.quiet) quiet), \
            recording-rule cases \(unitCases.expressions)
            deploy end-to-end: failure burst -> CIMDomainFailureRatioHigh (\(burst?["domain"] ?? "none")) at chat; NATS outage -> NATSServerDown at paging, \(Self.inhibitedByNATSOutage.count) symptom alerts held back
            deploy end-to-end: run time \(String(format: "%.1f", seconds)) s
            """
        )
        for line in legitimatelyEmptyChecks { print("deploy end-to-end:   \(line)") }
    }

    /// The labels of every alert a receiver path got so far, with its annotations as `annotations.<name>`.
    static func alerts(_ webhook: WebhookReceiver, path: String) -> [[String: String]] {
        webhook.deliveries.filter { $0.path == path }.flatMap { delivery -> [[String: String]] in
            let object = try? JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any]
            return (object?["alerts"] as? [[String: Any]] ?? []).compactMap { alert in
                guard var labels = alert["labels"] as? [String: String] else { return nil }
                for (name, value) in alert["annotations"] as? [String: String] ?? [:] { labels["annotations.\(name)"] = value }
                return labels
            }
        }
    }

    static func summary(_ webhook: WebhookReceiver) -> String {
        ["/paging", "/chat"].map { path in "\(path): \(alerts(webhook, path: path).map { $0["alertname"] ?? "?" })" }.joined(separator: "; ")
    }

    /// The labels of the first alert `alertname` delivered to `path`, waiting up to `timeout` seconds.
    static func waitForAlert(_ webhook: WebhookReceiver, path: String, alertname: String, timeout: Double) async throws -> [String: String]? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let alert = alerts(webhook, path: path).first(where: { $0["alertname"] == alertname }) { return alert }
            try await Task.sleep(for: .milliseconds(250))
        }
        return nil
    }

    /// Whether Alertmanager holds `alertname` as inhibited within `timeout` seconds.
    static func waitUntilInhibited(_ alertmanager: AlertmanagerProcess, alertname: String, timeout: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let reply = try? await httpGet(port: alertmanager.port, path: "/api/v2/alerts"), reply.status == 200,
                let alerts = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [[String: Any]]
            {
                let inhibited = alerts.contains { alert in
                    (alert["labels"] as? [String: String])?["alertname"] == alertname
                        && !((alert["status"] as? [String: Any])?["inhibitedBy"] as? [String] ?? []).isEmpty
                }
                if inhibited { return true }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }
}
