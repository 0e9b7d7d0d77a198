import Foundation

/// One line of `Tests/Fixtures/corpus.jsonl` (the event corpus that defines the mapping): a message, and the event
/// the `cim` profile must give for it.
public struct CorpusLine: Sendable {
    public struct Expectation: Sendable {
        public var domain: String
        public var aggregateType: String
        public var eventType: String
        public var failed: Bool
        public var errorType: String?
        public var eventTime: Double?
        public var eventID: String?
        public var correlationID: String?
        public var violation: String?
    }

    public var name: String
    public var subject: String
    /// Sorted by name.
    public var headers: [(String, String)]
    public var payload: [UInt8]
    public var expect: Expectation

    /// Every line, in file order; a line that does not read as the corpus format says is an error that shows it.
    public static func load() throws -> [CorpusLine] {
        let url = URL(fileURLWithPath: #filePath)  // this file, not the caller's
            .resolvingSymlinksInPath()
            .deletingLastPathComponent()  // NATSTestSupport
            .deletingLastPathComponent()  // Tests
            .appendingPathComponent("Fixtures/corpus.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let expect = object["expect"] as? [String: Any]
            else { throw CorpusError(line: String(line.prefix(200))) }
            let payload: [UInt8]
            if let base64 = object["payload_b64"] as? String {
                guard let data = Data(base64Encoded: base64) else { throw CorpusError(line: String(line.prefix(200))) }
                payload = Array(data)
            } else {
                payload = Array((object["payload"] as? String ?? "").utf8)
            }
            return CorpusLine(
                name: object["name"] as? String ?? "?",
                subject: object["subject"] as? String ?? "",
                headers: (object["headers"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                payload: payload,
                expect: Expectation(
                    domain: expect["domain"] as? String ?? "?",
                    aggregateType: expect["aggregate_type"] as? String ?? "?",
                    eventType: expect["event_type"] as? String ?? "?",
                    failed: expect["failed"] as? Bool ?? false,
                    errorType: expect["error_type"] as? String,
                    eventTime: (expect["event_time"] as? NSNumber)?.doubleValue,
                    eventID: expect["event_id"] as? String,
                    correlationID: expect["correlation_id"] as? String,
                    violation: expect["violation"] as? String
                )
            )
        }
    }
}

/// A corpus line that does not read.
public struct CorpusError: Error, CustomStringConvertible {
    public var line: String
    public var description: String { "unreadable corpus line: \(line)" }
}
