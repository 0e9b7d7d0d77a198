import CIMEvents
import Foundation
import Testing

@testable import EventMetrics

@Suite struct JSONRenderingTests {
    @Test func rendersTheDocumentedShapeExactly() {
        let expected = """
            {
              "events_processed": 4,
              "last_sequence": 4,
              "events": [
                {"domain": "billing", "aggregate_type": "unknown", "event_type": "unknown", "count": 1},
                {"domain": "orders", "aggregate_type": "order", "event_type": "order_placed", "count": 2},
                {"domain": "orders", "aggregate_type": "payment", "event_type": "payment_failed", "count": 1}
              ],
              "failures": [
                {"domain": "orders", "aggregate_type": "payment", "event_type": "payment_failed", "error_type": "card_declined", "count": 1}
              ],
              "violations": [
                {"domain": "billing", "reason": "empty", "count": 1},
                {"domain": "billing", "reason": "invalid_json", "count": 1}
              ],
              "duplicates": [
                {"domain": "billing", "count": 0},
                {"domain": "orders", "count": 1}
              ],
              "last_timestamps": [
                {"domain": "orders", "seconds": 1700000101.5}
              ],
              "publish_delay": [
                {"domain": "orders", "count": 2, "sum": 1.75}
              ],
              "lag": [
                {"domain": "orders", "count": 1, "sum": 0.25}
              ],
              "overflows": [
                {"family": "cim_event_duplicates_total", "count": 0},
                {"family": "cim_event_lag_seconds", "count": 0},
                {"family": "cim_event_last_timestamp_seconds", "count": 0},
                {"family": "cim_event_publish_delay_seconds", "count": 0},
                {"family": "cim_event_schema_violations_total", "count": 0},
                {"family": "cim_events_failed_total", "count": 0},
                {"family": "cim_events_total", "count": 0}
              ]
            }

            """
        #expect(String(decoding: FoldExpositionTests.smallFold().json(), as: UTF8.self) == expected)
    }

    @Test func rendersEmptyArraysForAnEmptyFold() throws {
        let object = try #require(JSONSerialization.jsonObject(with: Data(MetricsFold().json())) as? [String: Any])
        #expect(object["events_processed"] as? Int == 0)
        #expect((object["events"] as? [Any])?.isEmpty == true)
        #expect((object["overflows"] as? [Any])?.count == EventFamily.allCases.count)
    }

    @Test func escapesStringsSoAnyLabelValueParsesBack() throws {
        let weird = "q\"b\\s\n\r\t\u{0}\u{1F}\u{7F}ü☃🚀"
        var fold = MetricsFold()
        fold.fold(event(weird, "a", "b"), storedAt: nil, sequence: 1)
        let object = try #require(JSONSerialization.jsonObject(with: Data(fold.json())) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.first?["domain"] as? String == weird)
        #expect(events.first?["count"] as? Int == 1)
    }
}
