import Foundation

/// A real Prometheus server (Debian's `prometheus`) on a free loopback port, scraping the given targets every
/// second, with its configuration and storage in a temporary directory.
///
/// The binary is `$PROMETHEUS_BIN` or `prometheus` on `PATH` (`scripts/test` installs the Debian package).
public final class PrometheusProcess: @unchecked Sendable {
    // @unchecked: the process handle is only touched from the test that owns it, one call at a time.
    public let port: Int
    public let directory: URL
    private var process: Process?

    /// - Parameter targets: job name → `host:port` targets scraped at `/metrics`.
    public init(targets: [String: [String]], scrapeInterval: String = "1s") throws {
        port = FreePort.next()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        var lines = ["global:", "  scrape_interval: \(scrapeInterval)", "  scrape_timeout: \(scrapeInterval)", "scrape_configs:"]
        for (job, hosts) in targets.sorted(by: { $0.key < $1.key }) {
            lines.append("  - job_name: \"\(job)\"")
            lines.append("    static_configs:")
            lines.append("      - targets: [\(hosts.map { "\"\($0)\"" }.joined(separator: ", "))]")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
    }

    /// Runs a given configuration: `configuration` becomes `prometheus.yml`, and `files` (path relative to it →
    /// contents, e.g. `rules/x.yml`) are written next to it, as a deployment lays them out.
    public init(configuration: String, files: [String: String] = [:]) throws {
        port = FreePort.next()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        try configuration.write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        for (path, contents) in files {
            let file = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file, atomically: true, encoding: .utf8)
        }
    }

    /// Starts Prometheus and waits until `/-/ready` answers 200.
    public func start(timeout: Double = 30) async throws {
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = [
            "--config.file=\(directory.appendingPathComponent("prometheus.yml").path)",
            "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        let log = directory.appendingPathComponent("prometheus.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let reply = try? await httpGet(port: port, path: "/-/ready", timeout: 1), reply.status == 200 { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PrometheusError(message: "prometheus did not become ready on port \(port):\n\(self.log.suffix(3000))")
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
    public var log: String { (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? "" }

    /// Stops Prometheus and removes its directory.
    public func shutdown() {
        if let process, process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        process = nil
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        process?.killAndWait()
        try? FileManager.default.removeItem(at: directory)
    }

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
