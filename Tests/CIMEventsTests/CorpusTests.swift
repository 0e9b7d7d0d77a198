import Foundation
import NATSTestSupport
import Testing

@testable import CIMEvents

@Suite("Corpus: every line of Tests/Fixtures/corpus.jsonl")
struct CorpusTests {
    /// The spec's reference time for a line: when it is received (now).
    static let receivedAt = Date().timeIntervalSince1970

    @Test func corpusHasEveryLine() {
        #expect(CorpusLine.all.count == 35)
    }

    @Test("maps the raw wire form as expected", arguments: CorpusLine.all)
    func mapsRawMessage(_ line: CorpusLine) {
        var mapper = EventMapper()
        let event = Array(line.subject.utf8).withUnsafeBytes { subject in
            line.headerBlock.withUnsafeBytes { headers in
                line.payload.withUnsafeBytes { payload in
                    mapper.map(subject: subject, headers: headers, payload: payload, reference: Self.receivedAt)
                }
            }
        }
        check(event, line.expect)
    }

    @Test("maps through the convenience API as expected", arguments: CorpusLine.all)
    func mapsConvenienceMessage(_ line: CorpusLine) {
        var mapper = EventMapper()
        let first = mapper.map(subject: line.subject, headers: line.headers, payload: line.payload, reference: Self.receivedAt)
        check(first, line.expect)
        // Mapped a second time, the labels come from the intern cache and must be the same.
        let second = mapper.map(subject: line.subject, headers: line.headers, payload: line.payload, reference: Self.receivedAt)
        #expect(second == first)
    }

    private func check(_ event: Event, _ expect: CorpusLine.Expectation, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(event.domain == expect.domain, sourceLocation: sourceLocation)
        #expect(event.aggregateType == expect.aggregateType, sourceLocation: sourceLocation)
        #expect(event.eventType == expect.eventType, sourceLocation: sourceLocation)
        #expect(event.failed == expect.failed, sourceLocation: sourceLocation)
        #expect(event.errorType == (expect.failed ? expect.errorType : nil), sourceLocation: sourceLocation)
        if let time = expect.eventTime {
            #expect(
                event.time.map { abs($0 - time) <= 0.001 } == true,
                "time \(String(describing: event.time)) ≠ \(time)",
                sourceLocation: sourceLocation
            )
        } else {
            #expect(event.time == nil, sourceLocation: sourceLocation)
        }
        #expect(event.id == expect.eventID, sourceLocation: sourceLocation)
        #expect(event.correlationID == expect.correlationID, sourceLocation: sourceLocation)
        #expect(event.violations.reasons == (expect.violation.map { [$0] } ?? []), sourceLocation: sourceLocation)
    }
}
