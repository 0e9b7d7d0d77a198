import CIMEvents
import Foundation
import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Operations
import Testing

/// The replay drills (issue 15): the built `cim-monitor replay` against a real nats-server — one aggregate in order,
/// wherever its id is; a time window; idempotent republish; one-line errors that change nothing.
@Suite(.timeLimit(.minutes(3)))
struct ReplayDrillTests {
    /// One replayed JSON line.
    struct Line: Decodable, Equatable {
        var seq: UInt64
        var time: String
        var subject: String
        var headers: [String: [String]]?
        var payload: JSONValue?
        var payloadB64: String?
    }

    /// Enough of JSON to compare payloads.
    enum JSONValue: Decodable, Equatable {
        case object([String: JSONValue])
        case array([JSONValue])
        case string(String)
        case number(Double)
        case bool(Bool)
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else if let value = try? container.decode([JSONValue].self) {
                self = .array(value)
            } else {
                self = .object(try container.decode([String: JSONValue].self))
            }
        }
    }

    static func lines(_ run: ProgramRun) throws -> [Line] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try run.outputText.split(separator: "\n").map { try decoder.decode(Line.self, from: Data($0.utf8)) }
    }

    static func replay(_ server: NATSServer, _ arguments: [String]) async throws -> ProgramRun {
        try await CommandRunner.run(try CommandRunner.cimMonitor(), ["replay"] + arguments + ["--server", server.url])
    }

    /// A stream `EV` with the aggregate `A-1` in every shape the profile knows: subject token, header, payload,
    /// nested payload; and other aggregates around it. Returns the sequences of `A-1`'s events.
    static func aggregateStream(_ jetStream: JetStream) async throws -> [UInt64] {
        try await jetStream.createStream(StreamConfig(name: "EV", subjects: ["events.>", "orders.>", "cim.>"]))
        var expected: [UInt64] = []
        var headers = NATSHeaders()
        headers.append("X-Aggregate-ID", "A-1")
        let messages: [(String, NATSHeaders?, String, Bool)] = [
            ("events.Order.A-1", nil, #"{"event_type":"OrderPlaced"}"#, true),
            ("events.Order.B-2", nil, #"{"event_type":"OrderPlaced","aggregate_id":"A-1"}"#, false),  // the subject wins
            ("events.workflow.A-1.started", nil, "{}", true),
            ("orders.events.order.A-1.paid", nil, #"{"amount":3}"#, true),
            ("cim.orders.events.order.shipped", headers, #"{"aggregate_id":"B-2"}"#, true),  // the header wins
            ("cim.orders.events.order.shipped", nil, #"{"aggregate_id":"A-1"}"#, true),
            ("cim.orders.events.order.shipped", nil, #"{"stored_event":{"aggregate_id":"A-1"}}"#, true),
            ("cim.orders.events.order.shipped", nil, #"{"aggregate_id":"A-10"}"#, false),
            ("orders.events.order.A-2.paid", nil, "not json", false),
            ("events.Order.A-1", nil, "\u{1}binary", true),
        ]
        for (subject, headers, payload, selected) in messages {
            let ack = try await jetStream.publish(ByteBuffer(string: payload), to: subject, headers: headers)
            if selected { expected.append(ack.seq) }
        }
        return expected
    }

    @Test func anAggregatesEventsComeBackInOrderWhereverItsIDIs() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let expected = try await Self.aggregateStream(JetStream(client: client))
        await client.close()
        let run = try await Self.replay(server, ["EV", "--aggregate", "A-1"])
        try #require(run.status == 0, "\(run.error)")
        let lines = try Self.lines(run)
        #expect(lines.map(\.seq) == expected)
        #expect(lines.first?.payload == .object(["event_type": .string("OrderPlaced")]))
        #expect(lines.last?.payloadB64 == Data("\u{1}binary".utf8).base64EncodedString())
        #expect(lines[3].headers?["X-Aggregate-ID"] == ["A-1"])
        #expect(run.error.isEmpty, "nothing but data when stdout is not a terminal: \(run.error)")
    }

    @Test func whenEverySubjectCarriesTheIDTheServerSelectsTheAggregate() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let jetStream = JetStream(client: client)
        try await jetStream.createStream(StreamConfig(name: "BYID", subjects: ["events.>"]))
        var expected: [UInt64] = []
        for index in 0..<300 {
            let id = index % 30 == 7 ? "agg-7" : "agg-\(index % 30)"
            let ack = try await jetStream.publish(ByteBuffer(string: #"{"n":\#(index)}"#), to: "events.Order.\(id)")
            if id == "agg-7" { expected.append(ack.seq) }
        }
        let info = try await jetStream.streamInfo("BYID")
        let replay = Replay(
            jetStream: jetStream,
            stream: "BYID",
            selection: {
                var s = ReplaySelection()
                s.aggregate = "agg-7"
                return s
            }(),
            output: .dryRun
        )
        let summary = try await replay.run()
        await client.close()
        #expect(summary.plan?.aggregateFilteredByServer == true)
        #expect(summary.scanned == UInt64(expected.count), "the server sent only the aggregate's messages, not \(info.state.messages)")
        #expect(summary.matched == UInt64(expected.count))
        let run = try await Self.replay(server, ["BYID", "--aggregate", "agg-7"])
        #expect(try Self.lines(run).map(\.seq) == expected)
    }

    @Test func labelsAndCorrelationAreSelectedAsTheMonitorLabelsThem() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let jetStream = JetStream(client: client)
        try await jetStream.createStream(StreamConfig(name: "LB", subjects: ["cim.>"]))
        var headers = NATSHeaders()
        headers.append("X-Correlation-ID", "corr-9")
        let placed = try await jetStream.publish(ByteBuffer(string: "{}"), to: "cim.orders.events.order.OrderPlaced", headers: headers)
        _ = try await jetStream.publish(ByteBuffer(string: "{}"), to: "cim.billing.events.invoice.OrderPlaced")
        let failed = try await jetStream.publish(ByteBuffer(string: #"{"correlation_id":"corr-9"}"#), to: "cim.orders.events.order.PaymentFailed")
        await client.close()
        let byType = try await Self.replay(server, ["LB", "--domain", "orders", "--event-type", "order_placed"])
        #expect(try Self.lines(byType).map(\.seq) == [placed.seq])
        let byCorrelation = try await Self.replay(server, ["LB", "--correlation", "corr-9"])
        #expect(try Self.lines(byCorrelation).map(\.seq) == [placed.seq, failed.seq])
        let dry = try await Self.replay(server, ["LB", "--domain", "orders", "--dry-run"])
        #expect(dry.outputText.hasPrefix("2 of 3 messages"), "\(dry.outputText)")
    }

    @Test func aTimeWindowSelectsWhatWasStoredInIt() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let jetStream = JetStream(client: client)
        try await jetStream.createStream(StreamConfig(name: "TW", subjects: ["tw.>"]))
        func batch(_ name: String) async throws -> [UInt64] {
            var sequences: [UInt64] = []
            for index in 0..<20 { sequences.append(try await jetStream.publish(ByteBuffer(string: "\(index)"), to: "tw.\(name)").seq) }
            return sequences
        }
        _ = try await batch("before")
        try await Task.sleep(for: .milliseconds(1100))
        let since = RFC3339.format(seconds: Date().timeIntervalSince1970)
        try await Task.sleep(for: .milliseconds(100))
        let inside = try await batch("inside")
        try await Task.sleep(for: .milliseconds(100))
        let until = RFC3339.format(seconds: Date().timeIntervalSince1970)
        try await Task.sleep(for: .milliseconds(1100))
        _ = try await batch("after")
        await client.close()
        let run = try await Self.replay(server, ["TW", "--since", since, "--until", until])
        try #require(run.status == 0, "\(run.error)")
        let lines = try Self.lines(run)
        #expect(lines.map(\.seq) == inside)
        #expect(lines.allSatisfy { $0.subject == "tw.inside" })
        let sequences = try await Self.replay(server, ["TW", "--from-seq", "5", "--to-seq", "7"])
        #expect(try Self.lines(sequences).map(\.seq) == [5, 6, 7])
    }

    @Test func republishingTwiceStoresEachEventOnce() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let jetStream = JetStream(client: client)
        let expected = try await Self.aggregateStream(jetStream)
        try await jetStream.createStream(StreamConfig(name: "TARGET", subjects: ["replay.>"]))
        for attempt in 1...2 {
            let run = try await Self.replay(server, ["EV", "--aggregate", "A-1", "--to-stream", "TARGET"])
            try #require(run.status == 0, "\(run.error)")
            #expect(
                run.error.contains(attempt == 1 ? "\(expected.count) stored, 0 already there" : "0 stored, \(expected.count) already there"),
                "\(run.error)"
            )
        }
        let target = try await jetStream.streamInfo("TARGET")
        #expect(target.state.messages == UInt64(expected.count))
        let first = try await jetStream.getMessage(stream: "TARGET", sequence: 1)
        #expect(first.subject == "replay.events.Order.A-1")
        #expect(first.headers?["Cim-Replay-Of"] == "EV:\(expected[0])")
        #expect(first.headers?["Nats-Msg-Id"] == "cim-replay:EV:\(expected[0])")
        let original = try await jetStream.getMessage(stream: "EV", sequence: expected[0])
        #expect(first.data == original.data)
        await client.close()
    }

    @Test func badInputGivesOneLineAndChangesNothing() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let jetStream = JetStream(client: client)
        _ = try await Self.aggregateStream(jetStream)
        let before = try await jetStream.streamInfo("EV")
        let cases: [([String], String)] = [
            (["EV", "--since", "2026-12-01T10:00:00Z", "--until", "2026-12-01T09:00:00Z"], "is after --until"),
            (["NOPE"], "stream NOPE not found"),
            (["EV", "--since", "2099-01-01T00:00:00Z"], "nothing in stream EV since"),
            (["EV", "--until", "2001-01-01T00:00:00Z"], "nothing in stream EV until"),
        ]
        for (arguments, message) in cases {
            let run = try await Self.replay(server, arguments)
            #expect(run.status == 1, "\(arguments): \(run.status)")
            #expect(run.error.hasPrefix("error: ") && run.error.contains(message), "\(arguments): \(run.error)")
            #expect(run.error.split(separator: "\n").count == 1, "\(run.error)")
            #expect(run.output.isEmpty)
        }
        let port = FreePort.next()
        let unreachable = try await CommandRunner.run(try CommandRunner.cimMonitor(), ["replay", "EV", "--server", "nats://127.0.0.1:\(port)"])
        #expect(unreachable.status == 1)
        #expect(unreachable.error.hasPrefix("error: ") && unreachable.error.split(separator: "\n").count == 1, "\(unreachable.error)")
        let after = try await jetStream.streamInfo("EV")
        #expect(after.state == before.state)
        #expect(try await jetStream.consumerNames(stream: "EV").isEmpty, "replay leaves no consumer behind")
        await client.close()
    }
}
