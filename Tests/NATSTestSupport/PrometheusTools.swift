import Foundation

/// The tools Prometheus users run on an exposition: `promtool check metrics`, and the text and OpenMetrics parsers of
/// the Python client (`prometheus_client`). A missing tool is an error that says how to install it, so a check never
/// passes without having run; `scripts/test` installs them.
public enum PrometheusTools {
    public static let installPromtool = "install Debian's prometheus package (apt-get install prometheus)"

    /// One sample as the Python client reads it. A bucket's `le` is spelt as Swift spells the bound's `Double`
    /// (Python's `repr` spells some differently), so bounds compare as numbers.
    public struct Sample: Sendable {
        public var name: String
        public var labels: [String: String]
        public var value: Double

        public init(name: String, labels: [String: String], value: Double) {
            self.name = name
            self.labels = labels
            self.value = value
        }
    }

    /// What the Python client read: every family as `name type unit` in the exposition's order, and every sample.
    public struct Parsed: Sendable {
        public var families: [String]
        public var samples: [Sample]
    }

    /// `promtool check metrics` on `exposition`: its exit status and its findings (empty when clean).
    public static func check(_ exposition: [UInt8]) async throws -> (status: Int32, findings: String) {
        let file = try temporaryFile(exposition)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let result = try await ProgramRun.tool(["promtool", "check", "metrics"], stdin: file, install: installPromtool)
        return (result.status, (result.outputText + result.error).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Every family and sample, as `prometheus_client`'s text (or OpenMetrics) parser reads them; throws when the
    /// parser rejects the exposition. Values keep every bit (Python's `repr` of the float, read back by Swift).
    public static func parse(_ exposition: [UInt8], openMetrics: Bool) async throws -> Parsed {
        let file = try temporaryFile(exposition)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let result = try await ProgramRun.tool(
            ["python3", "-c", script, file.path, openMetrics ? "openmetrics" : "text"],
            install: "install python3"
        )
        if result.status == 3 {
            throw ProgramRun.Failure("prometheus_client is not installed (\(result.error)); run: pip install prometheus_client")
        }
        guard result.status == 0 else { throw ProgramRun.Failure("the Python parser rejected the exposition: \(result.error.suffix(2000))") }
        let object = try JSONSerialization.jsonObject(with: Data(result.output)) as? [String: Any]
        let samples = (object?["samples"] as? [[Any]] ?? []).map { row in
            var labels = row[1] as? [String: String] ?? [:]
            if let le = labels["le"] { labels["le"] = Double(le)?.description ?? "unreadable \(le)" }
            return Sample(name: row[0] as? String ?? "", labels: labels, value: Double(row[2] as? String ?? "") ?? .nan)
        }
        return Parsed(families: object?["families"] as? [String] ?? [], samples: samples)
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

    private static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cim-exposition-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("metrics.txt")
        try Data(bytes).write(to: file)
        return file
    }
}
