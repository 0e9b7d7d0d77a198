import CIMEvents
import Foundation
import NATS
import NATSCore
import NIOCore
import Operations
import Testing

@Suite struct ReplayPlanTests {
    static func state(messages: UInt64 = 100, first: UInt64 = 1, last: UInt64 = 100) -> StreamState {
        let json = """
            {"messages":\(messages),"bytes":1000,"first_seq":\(first),"first_ts":"2026-12-01T10:00:00Z","last_seq":\(last),
            "last_ts":"2026-12-01T11:00:00Z","consumer_count":0}
            """
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(StreamState.self, from: Data(json.utf8))
    }

    @Test func sequenceRangeStartsOnTheServerAndStopsAtToSeq() throws {
        var selection = ReplaySelection()
        selection.fromSequence = 10
        selection.toSequence = 20
        let plan = try ReplayPlan.make(stream: "S", selection: selection, state: Self.state(), aggregateInSubjects: false)
        #expect(plan.start == .sequence(10))
        #expect(plan.stopAt == 20)
        #expect(plan.filterSubjects.isEmpty)
    }

    @Test func readingStopsAtTheLastSequenceAtTheStart() throws {
        var selection = ReplaySelection()
        selection.toSequence = 5000
        let plan = try ReplayPlan.make(stream: "S", selection: selection, state: Self.state(), aggregateInSubjects: false)
        #expect(plan.stopAt == 100)
    }

    @Test func sinceBecomesTheServersStartTime() throws {
        var selection = ReplaySelection()
        selection.since = RFC3339.seconds("2026-12-01T10:30:00Z")
        let plan = try ReplayPlan.make(stream: "S", selection: selection, state: Self.state(), aggregateInSubjects: false)
        #expect(plan.start == .time("2026-12-01T10:30:00.000000000Z"))
    }

    @Test func sinceAfterUntilIsRefusedBeforeAnythingElse() {
        var selection = ReplaySelection()
        selection.since = 2000
        selection.until = 1000
        #expect(throws: ReplayError.self) { try selection.validate() }
        #expect(throws: ReplayError.self) {
            try ReplayPlan.make(stream: "S", selection: selection, state: Self.state(), aggregateInSubjects: false)
        }
    }

    @Test func timeRangesOutsideTheStreamAreEmpty() {
        var late = ReplaySelection()
        late.since = RFC3339.seconds("2026-12-01T12:00:00Z")
        #expect(throws: ReplayError.self) { try ReplayPlan.make(stream: "S", selection: late, state: Self.state(), aggregateInSubjects: false) }
        var early = ReplaySelection()
        early.until = RFC3339.seconds("2026-12-01T09:00:00Z")
        #expect(throws: ReplayError.self) { try ReplayPlan.make(stream: "S", selection: early, state: Self.state(), aggregateInSubjects: false) }
    }

    @Test func anEmptyStreamHasNothingToReplay() {
        #expect(throws: ReplayError.self) {
            try ReplayPlan.make(
                stream: "S",
                selection: ReplaySelection(),
                state: Self.state(messages: 0, first: 0, last: 0),
                aggregateInSubjects: false
            )
        }
    }

    @Test func anAggregateIsFilteredByTheServerOnlyWhenEverySubjectCarriesAnID() throws {
        var selection = ReplaySelection()
        selection.aggregate = "a-1"
        let exact = try ReplayPlan.make(stream: "S", selection: selection, state: Self.state(), aggregateInSubjects: true)
        #expect(exact.filterSubjects == ["events.workflow.a-1.*", "events.*.a-1", "*.events.*.a-1.*"])
        #expect(exact.aggregateFilteredByServer)
        let scanned = try ReplayPlan.make(stream: "S", selection: selection, state: Self.state(), aggregateInSubjects: false)
        #expect(scanned.filterSubjects.isEmpty)
        selection.aggregate = "a.b"
        let unfit = try ReplayPlan.make(stream: "S", selection: selection, state: Self.state(), aggregateInSubjects: true)
        #expect(unfit.filterSubjects.isEmpty)
    }

    @Test func subjectFiltersGoToTheServer() throws {
        var selection = ReplaySelection()
        selection.subjects = ["orders.>"]
        selection.aggregate = "x"
        let plan = try ReplayPlan.make(stream: "S", selection: selection, state: Self.state(), aggregateInSubjects: true)
        #expect(plan.filterSubjects == ["orders.>"])
    }
}

@Suite struct AggregateIDTests {
    @Test(arguments: [
        ("events.workflow.w-1.started", "w-1"),
        ("events.Person.p-9", "p-9"),
        ("agent.events.agent.a-7.deployed", "a-7"),
    ])
    func subjectShapesCarryTheID(subject: String, id: String) {
        #expect(AggregateID.fromSubject(subject).map(String.init) == id)
    }

    @Test(arguments: ["cim.orders.events.order.placed", "cim.events.events.x.y", "orders.order.placed.v1", "a.b"])
    func otherShapesCarryNone(subject: String) {
        #expect(AggregateID.fromSubject(subject) == nil)
    }

    @Test func headersThenPayloadWhenTheSubjectHasNone() {
        var headers = NATSHeaders()
        headers.append("X-Aggregate-ID", "h-1")
        let payload = ByteBuffer(string: #"{"aggregate_id":"p-1"}"#)
        #expect(AggregateID.find(subject: "cim.orders.events.placed", headers: headers, payload: payload) == "h-1")
        #expect(AggregateID.find(subject: "cim.orders.events.placed", headers: nil, payload: payload) == "p-1")
        let stored = ByteBuffer(string: #"{"stored_event":{"aggregate_id":"s-1"}}"#)
        #expect(AggregateID.find(subject: "cim.orders.events.placed", headers: nil, payload: stored) == "s-1")
        #expect(AggregateID.find(subject: "cim.orders.events.placed", headers: nil, payload: ByteBuffer(string: "not json")) == nil)
        #expect(AggregateID.find(subject: "events.Person.p-9", headers: headers, payload: payload) == "p-9")
    }
}
