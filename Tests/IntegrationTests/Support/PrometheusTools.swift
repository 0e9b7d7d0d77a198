import Foundation
import NATSTestSupport

/// The tools Prometheus users run on an exposition: `promtool check metrics` and the Python client's parsers.
enum PrometheusTools {
    struct Sample: Sendable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// `promtool check metrics` on `exposition`: its exit status and its findings (empty when clean).
    static func check(_ exposition: [UInt8]) async throws -> (status: Int32, findings: String) {
        let file = try temporaryFile(exposition)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let result = try await CommandRunner.tool(
            ["promtool", "check", "metrics"],
            stdin: file,
            install: "install Debian's prometheus package (apt-get install prometheus)"
        )
        return (result.status, (result.outputText + result.error).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Every sample, as `prometheus_client`'s text (or OpenMetrics) parser reads it; throws when the parser rejects it.
    static func parse(_ exposition: [UInt8], openMetrics: Bool) async throws -> [Sample] {
        let file = try temporaryFile(exposition)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let result = try await CommandRunner.tool(
            ["python3", "-c", script, file.path, openMetrics ? "openmetrics" : "text"],
            install: "install python3"
        )
        if result.status == 3 { throw CommandError("prometheus_client is not installed (\(result.error)); run: pip install prometheus_client") }
        guard result.status == 0 else { throw CommandError("the Python parser rejected the exposition: \(result.error.suffix(2000))") }
        let rows = try JSONSerialization.jsonObject(with: Data(result.output)) as? [[Any]] ?? []
        return rows.map { row in
            Sample(name: row[0] as? String ?? "", labels: row[1] as? [String: String] ?? [:], value: (row[2] as? NSNumber)?.doubleValue ?? .nan)
        }
    }

    private static let script = """
        import json, sys
        path, fmt = sys.argv[1], sys.argv[2]
        try:
            if fmt == "openmetrics":
                from prometheus_client.openmetrics.parser import text_string_to_metric_families
            else:
                from prometheus_client.parser import text_string_to_metric_families
        except ImportError as error:
            print(error, file=sys.stderr)
            sys.exit(3)
        text = open(path, "rb").read().decode("utf-8")
        rows = []
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                rows.append([sample.name, dict(sample.labels), float(sample.value)])
        print(json.dumps(rows))
        """

    private static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cim-exposition-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("metrics.txt")
        try Data(bytes).write(to: file)
        return file
    }
}
