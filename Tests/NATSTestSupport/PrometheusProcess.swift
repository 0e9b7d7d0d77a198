import Foundation

/// A real Prometheus server (Debian's `prometheus`) on a free loopback port, scraping the given targets every
/// second, with its configuration and storage in a temporary directory.
///
/// The binary is `$PROMETHEUS_BIN` or `prometheus` on `PATH` (`scripts/test` installs the Debian package).
public final class PrometheusProcess: Sendable {
    private let server: ReadyServerProcess
    public var port: Int { server.port }
    public var directory: URL { server.directory }

    /// - Parameter targets: job name → `host:port` targets scraped at `/metrics`.
    public convenience init(targets: [String: [String]], scrapeInterval: String = "1s") throws {
        var lines = ["global:", "  scrape_interval: \(scrapeInterval)", "  scrape_timeout: \(scrapeInterval)", "scrape_configs:"]
        for (job, hosts) in targets.sorted(by: { $0.key < $1.key }) {
            lines.append("  - job_name: \"\(job)\"")
            lines.append("    static_configs:")
            lines.append("      - targets: [\(hosts.map { "\"\($0)\"" }.joined(separator: ", "))]")
        }
        try self.init(configuration: lines.joined(separator: "\n") + "\n")
    }

    /// Runs a given configuration: `configuration` becomes `prometheus.yml`, and `files` (path relative to it →
    /// contents, e.g. `rules/x.yml`) are written next to it, as a deployment lays them out.
    public init(configuration: String, files: [String: String] = [:]) throws {
        server = try ReadyServerProcess(name: "prometheus")
        try configuration.write(toFile: server.path("prometheus.yml"), atomically: true, encoding: .utf8)
        for (path, contents) in files {
            let file = server.directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file, atomically: true, encoding: .utf8)
        }
    }

    /// Starts Prometheus and waits until `/-/ready` answers 200.
    public func start(timeout: Double = 30) async throws {
        let arguments = [
            "--config.file=\(server.path("prometheus.yml"))", "--storage.tsdb.path=\(server.path("data"))", "--web.listen-address=127.0.0.1:\(port)",
        ]
        guard try await server.start(try Self.binary(), arguments: arguments, timeout: timeout) else {
            throw PrometheusError(message: "prometheus did not become ready on port \(port):\n\(log.suffix(3000))")
        }
    }

    /// The instant vector of `query`: each series' labels (with `__name__`) and value.
    public func query(_ query: String) async throws -> [(labels: [String: String], value: Double)] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = query.addingPercentEncoding(withAllowedCharacters: allowed) ?? query
        let reply = try await httpGet(port: port, path: "/api/v1/query?query=\(encoded)")
        guard reply.status == 200,
            let object = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any],
            object["status"] as? String == "success",
            let data = object["data"] as? [String: Any],
            let result = data["result"] as? [[String: Any]]
        else {
            throw PrometheusError(message: "query \(query) failed: HTTP \(reply.status) \(reply.text.prefix(500))")
        }
        return result.compactMap { sample in
            guard let labels = sample["metric"] as? [String: String], let value = sample["value"] as? [Any], value.count == 2,
                let text = value[1] as? String, let number = Double(text)
            else { return nil }
            return (labels, number)
        }
    }

    /// Prometheus' log so far, for failure messages.
    public var log: String { server.log }

    /// Stops Prometheus and removes its directory.
    public func shutdown() { server.shutdown() }

    static func binary() throws -> URL {
        if let found = Executable.find("prometheus", override: "PROMETHEUS_BIN") { return found }
        throw PrometheusError(message: "prometheus not found: run scripts/test (it installs Debian's prometheus) or set PROMETHEUS_BIN")
    }
}

/// A test Prometheus could not be started or queried.
public struct PrometheusError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
