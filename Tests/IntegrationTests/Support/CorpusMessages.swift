import Foundation

/// The lines of `Tests/Fixtures/corpus.jsonl` as messages to publish, with the metrics the `cim` profile must give.
struct CorpusMessage: Sendable {
    var name: String
    var subject: String
    var headers: [(String, String)]
    var payload: [UInt8]
    var domain: String
    var aggregateType: String
    var eventType: String
    var failed: Bool
    var errorType: String?
    var eventTime: Double?
    var violation: String?

    /// Every line, in file order.
    static func all() throws -> [CorpusMessage] {
        let url = URL(fileURLWithPath: #filePath)
            .resolvingSymlinksInPath()
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // IntegrationTests
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
            return CorpusMessage(
                name: object["name"] as? String ?? "?",
                subject: object["subject"] as? String ?? "",
                headers: (object["headers"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                payload: payload,
                domain: expect["domain"] as? String ?? "?",
                aggregateType: expect["aggregate_type"] as? String ?? "?",
                eventType: expect["event_type"] as? String ?? "?",
                failed: expect["failed"] as? Bool ?? false,
                errorType: expect["error_type"] as? String,
                eventTime: (expect["event_time"] as? NSNumber)?.doubleValue,
                violation: expect["violation"] as? String
            )
        }
    }

    /// Stream subjects that cover every corpus subject: `<first token>.>` for each first token.
    static func streamSubjects(_ messages: [CorpusMessage]) -> [String] {
        Set(messages.map { "\($0.subject.split(separator: ".", omittingEmptySubsequences: false)[0]).>" }).sorted()
    }
}

/// What the corpus says the metrics must hold, keyed by the label values joined with `|`.
struct ExpectedCorpusMetrics: Equatable {
    /// `cim_events_total{domain, aggregate_type, event_type}`
    var events: [String: UInt64] = [:]
    /// `cim_events_failed_total{domain, aggregate_type, event_type, error_type}`
    var failures: [String: UInt64] = [:]
    /// `cim_event_schema_violations_total{domain, reason}`
    var violations: [String: UInt64] = [:]
    /// Events with an event time, by domain (`cim_event_publish_delay_seconds_count{domain}`).
    var timedEvents: [String: UInt64] = [:]
    /// The newest event time, by domain (`cim_event_last_timestamp_seconds{domain}`).
    var lastTimestamps: [String: Double] = [:]

    init() {}

    init(_ messages: [CorpusMessage]) {
        for message in messages {
            events[Self.key(message.domain, message.aggregateType, message.eventType), default: 0] += 1
            if message.failed {
                failures[Self.key(message.domain, message.aggregateType, message.eventType, message.errorType ?? "unknown"), default: 0] += 1
            }
            if let violation = message.violation { violations[Self.key(message.domain, violation), default: 0] += 1 }
            if let time = message.eventTime {
                timedEvents[message.domain, default: 0] += 1
                lastTimestamps[message.domain] = max(lastTimestamps[message.domain] ?? -.infinity, time)
            }
        }
    }

    static func key(_ values: String...) -> String { values.joined(separator: "|") }
}

struct CorpusError: Error, CustomStringConvertible {
    var line: String
    var description: String { "unreadable corpus line: \(line)" }
}
