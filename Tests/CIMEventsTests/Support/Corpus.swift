import Foundation
import Testing

/// One line of `Tests/Fixtures/corpus.jsonl`: a message and the event the `cim` profile must give.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    struct Expectation: Sendable {
        var domain: String
        var aggregateType: String
        var eventType: String
        var failed: Bool
        var errorType: String?
        var eventTime: Double?
        var eventID: String?
        var correlationID: String?
        var violation: String?
    }

    var name: String
    var subject: String
    var headers: [(String, String)]
    var payload: [UInt8]
    var expect: Expectation

    var testDescription: String { name }

    /// The header block as NATS puts it on the wire.
    var headerBlock: [UInt8] {
        guard !headers.isEmpty else { return [] }
        return Array(("NATS/1.0\r\n" + headers.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n").utf8)
    }

    /// Every line of the corpus, in file order.
    static let all: [CorpusCase] = {
        let text = (try? String(contentsOf: Fixtures.url("corpus.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                fatalError("corpus line is not a JSON object: \(line)")
            }
            return CorpusCase(object)
        }
    }()

    private init(_ line: [String: Any]) {
        name = line["name"] as? String ?? "?"
        subject = line["subject"] as? String ?? ""
        let headerObject = line["headers"] as? [String: String] ?? [:]
        headers = headerObject.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if let base64 = line["payload_b64"] as? String {
            payload = Array(Data(base64Encoded: base64) ?? Data())
        } else {
            payload = Array((line["payload"] as? String ?? "").utf8)
        }
        let e = line["expect"] as? [String: Any] ?? [:]
        expect = Expectation(
            domain: e["domain"] as? String ?? "?",
            aggregateType: e["aggregate_type"] as? String ?? "?",
            eventType: e["event_type"] as? String ?? "?",
            failed: e["failed"] as? Bool ?? false,
            errorType: e["error_type"] as? String,
            eventTime: (e["event_time"] as? NSNumber)?.doubleValue,
            eventID: e["event_id"] as? String,
            correlationID: e["correlation_id"] as? String,
            violation: e["violation"] as? String
        )
    }
}
