import Foundation

/// The shipped configuration rewritten for a test, and only where a test must differ from production: targets on the
/// test's ports, 1-second scrape and evaluation intervals, `for:` durations scaled down (a minute becomes
/// `secondsPerMinute` seconds, so their order stays as shipped), Alertmanager's receivers pointed at a local webhook
/// and its waits shortened. Routes, inhibition, expressions, labels and annotations stay as shipped.
enum TestDeployment {
    static let secondsPerMinute = 2

    /// deploy/prometheus/prometheus.yml with the monitor and Alertmanager on the test's ports.
    static func prometheusConfiguration(_ tree: DeployTree, monitorPort: Int, alertmanagerPort: Int) throws -> String {
        let shipped = try tree.text("deploy/prometheus/prometheus.yml")
        let replacements = [
            ("scrape_interval: 15s", "scrape_interval: 1s"), ("scrape_timeout: 10s", "scrape_timeout: 1s"),
            ("evaluation_interval: 15s", "evaluation_interval: 1s"), ("\"localhost:9091\"", "\"127.0.0.1:\(monitorPort)\""),
            ("\"localhost:9093\"", "\"127.0.0.1:\(alertmanagerPort)\""),
        ]
        return try rewrite(shipped, replacements, file: "prometheus.yml")
    }

    /// Every rule file, `for:` scaled, keyed by its path next to prometheus.yml.
    static func ruleFiles(_ tree: DeployTree) throws -> [String: String] {
        var files: [String: String] = [:]
        for file in try tree.files(in: "deploy/prometheus/rules", suffix: ".yml") {
            let lines = try tree.text("deploy/prometheus/rules/\(file)").split(separator: "\n", omittingEmptySubsequences: false).map { line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard trimmed.hasPrefix("for: "), trimmed.hasSuffix("m"), let minutes = Int(trimmed.dropFirst(5).dropLast()) else {
                    return String(line)
                }
                return line.prefix { $0 == " " } + "for: \(minutes * secondsPerMinute)s"
            }
            files["rules/\(file)"] = lines.joined(separator: "\n")
        }
        return files
    }

    /// deploy/alertmanager/alertmanager.yml with every receiver a webhook to `webhook` at `/<receiver name>`
    /// (blackhole stays without any), and waits of a second.
    static func alertmanagerConfiguration(_ tree: DeployTree, webhook: WebhookURL) throws -> String {
        let shipped = try tree.text("deploy/alertmanager/alertmanager.yml")
        guard let receivers = shipped.range(of: "\nreceivers:\n") else { throw DeployTreeError(message: "alertmanager.yml has no receivers section") }
        let head = try rewrite(
            String(shipped[..<receivers.lowerBound]),
            [("group_wait: 30s", "group_wait: 1s"), ("group_interval: 5m", "group_interval: 1s")],
            file: "alertmanager.yml"
        )
        return head + """

            receivers:
              - name: paging
                webhook_configs:
                  - url: \(webhook("/paging"))
              - name: chat
                webhook_configs:
                  - url: \(webhook("/chat"))
              - name: blackhole

            """
    }

    typealias WebhookURL = (String) -> String

    private static func rewrite(_ text: String, _ replacements: [(String, String)], file: String) throws -> String {
        var result = text
        for (old, new) in replacements {
            guard result.contains(old) else { throw DeployTreeError(message: "\(file) no longer contains \(old): update the deploy tests") }
            result = result.replacingOccurrences(of: old, with: new)
        }
        return result
    }
}
