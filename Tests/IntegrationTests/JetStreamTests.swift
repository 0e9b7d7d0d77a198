import Foundation
import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Testing

/// The JetStream API against a real nats-server with a file store in a temporary directory.
@Suite(.timeLimit(.minutes(2)))
struct JetStreamTests {
    static func start() async throws -> (NATSServer, NATSClient, JetStream) {
        let server = try NATSServer()
        try server.start()
        let client = try await server.connectedClient()
        return (server, client, JetStream(client: client))
    }

    @Test func streamsCanBeCreatedListedInspectedPurgedAndDeleted() async throws {
        let (server, client, js) = try await Self.start()
        defer { server.shutdown() }
        try await js.createStream(StreamConfig(name: "ORDERS", subjects: ["orders.>"]))
        for index in 0..<300 { try await js.createStream(StreamConfig(name: "S\(index)", subjects: ["s\(index).>"], storage: "memory")) }
        let names = try await js.streamNames()
        #expect(names.count == 301)  // more than one page of 256
        #expect(try await js.streams().count == 301)
        #expect(try await js.streamNames(subject: "orders.x").elementsEqual(["ORDERS"]))
        for index in 0..<10 { try await js.publish(ByteBuffer(string: "\(index)"), to: "orders.\(index % 2 == 0 ? "a" : "b")") }
        let info = try await js.streamInfo("ORDERS", subjectsFilter: "orders.>")
        #expect(info.state.messages == 10 && info.state.lastSeq == 10)
        #expect(info.state.subjects == ["orders.a": 5, "orders.b": 5])
        #expect(try await js.purgeStream("ORDERS", subject: "orders.a") == 5)
        #expect(try await js.purgeStream("ORDERS", keep: 2) == 3)
        #expect(try await js.purgeStream("ORDERS", upToSequence: 10) == 1)
        var config = info.config
        config.maxMsgs = 1000
        #expect(try await js.updateStream(config).config.maxMsgs == 1000)
        try await js.deleteStream("ORDERS")
        await #expect(throws: JetStreamError.streamNotFound) { try await js.streamInfo("ORDERS") }
        await #expect(throws: JetStreamError.self) { try await js.createStream(StreamConfig(name: "bad.name", subjects: ["x"])) }
        let account = try await js.accountInfo()
        #expect(account.streams == 300)
        await client.close()
    }

    @Test func publishAcksDeduplicateAndCheckExpectations() async throws {
        let (server, client, js) = try await Self.start()
        defer { server.shutdown() }
        try await js.createStream(StreamConfig(name: "EV", subjects: ["ev.>"]))
        let first = try await js.publish(ByteBuffer(string: "a"), to: "ev.1", messageID: "id-1")
        #expect(first.seq == 1 && first.stream == "EV" && first.duplicate != true)
        let again = try await js.publish(ByteBuffer(string: "a"), to: "ev.1", messageID: "id-1")
        #expect(again.duplicate == true && again.seq == 1)
        try await js.publish(ByteBuffer(string: "b"), to: "ev.1", expect: .init(lastSequence: 1))
        await #expect(throws: JetStreamError.wrongLastSequence) {
            try await js.publish(ByteBuffer(string: "c"), to: "ev.1", expect: .init(lastSequence: 1))
        }
        await #expect(throws: JetStreamError.wrongLastMessageID) {
            try await js.publish(ByteBuffer(string: "c"), to: "ev.1", expect: .init(lastMessageID: "nope"))
        }
        await #expect(throws: JetStreamError.self) { try await js.publish(ByteBuffer(string: "x"), to: "nostream.here") }
        let publisher = try await JetStreamPublisher(js, window: 64)
        for index in 0..<2000 { try await publisher.publish(ByteBuffer(string: "\(index)"), to: "ev.async") }
        let summary = try await publisher.finish()
        #expect(summary.acknowledged == 2000 && summary.failed == 0 && summary.lastSequence == 2002)
        await client.close()
    }

    @Test func storedMessagesCanBeReadBySequenceAndSubject() async throws {
        let (server, client, js) = try await Self.start()
        defer { server.shutdown() }
        var config = StreamConfig(name: "GET", subjects: ["get.>"])
        config.allowDirect = true
        try await js.createStream(config)
        try await js.publish(ByteBuffer(string: "one"), to: "get.a", headers: NATSHeaders([("X-Event-Type", "A")]))
        try await js.publish(ByteBuffer(string: "two"), to: "get.b")
        try await js.publish(ByteBuffer(string: "three"), to: "get.a")
        let bySequence = try await js.getMessage(stream: "GET", sequence: 1)
        #expect(bySequence.subject == "get.a" && bySequence.data == Array("one".utf8) && bySequence.headers?["x-event-type"] == "A")
        let last = try await js.getMessage(stream: "GET", lastBySubject: "get.a")
        #expect(last.sequence == 3)
        let direct = try await js.directGet(stream: "GET", sequence: 2)
        #expect(direct.subject == "get.b" && direct.data == Array("two".utf8))
        let directLast = try await js.directGet(stream: "GET", lastBySubject: "get.a")
        #expect(directLast.sequence == 3)
        await #expect(throws: JetStreamError.noMessageFound) { try await js.getMessage(stream: "GET", sequence: 99) }
        await #expect(throws: JetStreamError.noMessageFound) { try await js.directGet(stream: "GET", sequence: 99) }
        await client.close()
    }

    @Test func consumersCanBeCreatedUpdatedListedAndDeleted() async throws {
        let (server, client, js) = try await Self.start()
        defer { server.shutdown() }
        try await js.createStream(StreamConfig(name: "C", subjects: ["c.>"]))
        for index in 1...10 { try await js.publish(ByteBuffer(string: "\(index)"), to: index <= 5 ? "c.a" : "c.b") }
        var durable = ConsumerConfig(durableName: "worker", ackPolicy: .explicit)
        durable.filterSubject = "c.a"
        durable.maxAckPending = 100
        let info = try await js.createConsumer(stream: "C", config: durable)
        #expect(info.numPending == 5 && info.config.filterSubject == "c.a")
        durable.maxAckPending = 50
        #expect(try await js.updateConsumer(stream: "C", config: durable).config.maxAckPending == 50)
        var multi = ConsumerConfig(durableName: "both", ackPolicy: .none, deliverPolicy: .byStartSequence)
        multi.optStartSeq = 4
        multi.filterSubjects = ["c.a", "c.b"]
        #expect(try await js.createConsumer(stream: "C", config: multi).numPending == 7)
        var last = ConsumerConfig(durableName: "last", ackPolicy: .all, deliverPolicy: .last)
        last.inactiveThreshold = 60_000_000_000
        #expect(try await js.createConsumer(stream: "C", config: last).numPending == 1)
        var ephemeral = ConsumerConfig(ackPolicy: .none, deliverPolicy: .new)
        ephemeral.name = "eph"
        ephemeral.inactiveThreshold = 60_000_000_000  // long enough that a loaded machine does not see it expire mid-test
        #expect(try await js.createConsumer(stream: "C", config: ephemeral).numPending == 0)
        var byTime = ConsumerConfig(durableName: "bytime", ackPolicy: .none, deliverPolicy: .byStartTime)
        byTime.optStartTime = "2000-01-01T00:00:00Z"
        #expect(try await js.createConsumer(stream: "C", config: byTime).numPending == 10)
        #expect(try await js.consumerNames(stream: "C").sorted() == ["both", "bytime", "eph", "last", "worker"])
        #expect(try await js.consumers(stream: "C").count == 5)
        #expect(try await js.consumerInfo(stream: "C", name: "worker").config.maxAckPending == 50)
        try await js.deleteConsumer(stream: "C", name: "worker")
        await #expect(throws: JetStreamError.consumerNotFound) { try await js.consumerInfo(stream: "C", name: "worker") }
        await client.close()
    }

    @Test func fetchAcksAndRedeliversWhatWasNotAcked() async throws {
        let (server, client, js) = try await Self.start()
        defer { server.shutdown() }
        try await js.createStream(StreamConfig(name: "W", subjects: ["w.>"]))
        for index in 1...6 { try await js.publish(ByteBuffer(string: "\(index)"), to: "w.job") }
        var config = ConsumerConfig(durableName: "jobs", ackPolicy: .explicit)
        config.ackWait = 2_000_000_000
        try await js.createConsumer(stream: "W", config: config)
        let consumer = js.pullConsumer(stream: "W", name: "jobs")
        let batch = try await consumer.fetch(batch: 4, expires: 2)
        #expect(batch.map { $0.metadata.streamSequence } == [1, 2, 3, 4])
        #expect(batch[0].metadata.delivered == 1 && batch[0].metadata.stream == "W" && batch[0].metadata.consumer == "jobs")
        try await batch[0].ackSync()
        try await batch[1].ack()
        try await batch[2].term()
        try await batch[3].nak()
        try await client.flush()
        let rest = try await consumer.fetch(batch: 3, expires: 2)
        // 4 was nak'ed (redelivered at once), 5 and 6 are new.
        #expect(Set(rest.map { $0.metadata.streamSequence }) == [4, 5, 6])
        for message in rest where message.metadata.streamSequence != 5 { try await message.ackSync() }
        // 5 was neither acked nor nak'ed: it comes back after ack_wait, with a higher delivery count.
        let redelivered = try await consumer.fetch(batch: 1, expires: 5)
        #expect(redelivered.map { $0.metadata.streamSequence } == [5])
        #expect((redelivered.first?.metadata.delivered ?? 0) >= 2)
        try await redelivered[0].ackSync()
        let empty = try await consumer.fetch(batch: 10, noWait: true)
        #expect(empty.isEmpty)
        await client.close()
    }

    @Test func continuousConsumptionRecoversAfterServerRestart() async throws {
        let (server, client, js) = try await Self.start()
        defer { server.shutdown() }
        try await js.createStream(StreamConfig(name: "LIVE", subjects: ["live.>"]))
        try await js.createConsumer(stream: "LIVE", config: ConsumerConfig(durableName: "svc", ackPolicy: .explicit))
        for index in 1...50 { try await js.publish(ByteBuffer(string: "\(index)"), to: "live.x") }
        let consumer = js.pullConsumer(stream: "LIVE", name: "svc")
        let received = try await withTimeout(60) {
            var sequences: [UInt64] = []
            var iterator = consumer.messages(batch: 20, expires: 2, heartbeat: 0.5).makeAsyncIterator()
            while let message = try await iterator.next() {
                try await message.ack()
                sequences.append(message.metadata.streamSequence)
                if sequences.count == 50 {
                    // Restart the server in the middle of consumption.
                    server.stop()
                    try server.start()
                    #expect(try await eventually(10) { client.isConnected })
                    for index in 51...80 { try await js.publish(ByteBuffer(string: "\(index)"), to: "live.x") }
                }
                if Set(sequences).count == 80 { break }
            }
            return sequences
        }
        #expect(Set(received) == Set(1...80))
        await client.close()
    }

    @Test func orderedConsumerSeesEverySequenceOnceAcrossARestart() async throws {
        let (server, client, js) = try await Self.start()
        defer { server.shutdown() }
        try await js.createStream(StreamConfig(name: "BIG", subjects: ["big.>"]))
        let total: UInt64 = 20_000
        let publisher = try await JetStreamPublisher(js, window: 256)
        for index in 1...total { try await publisher.publish(ByteBuffer(string: "event \(index)"), to: "big.\(index % 7)") }
        _ = try await publisher.finish()
        let consumer = js.orderedConsumer(stream: "BIG", stopAt: total, batch: 500, expires: 2, heartbeat: 0.5)
        let (sequences, resets) = try await withTimeout(90) {
            var sequences: [UInt64] = []
            sequences.reserveCapacity(Int(total))
            var iterator = consumer.makeAsyncIterator()
            while let message = try await iterator.next() {
                sequences.append(message.metadata.streamSequence)
                if sequences.count == 7_000 {
                    server.stop()
                    try server.start()
                }
            }
            return (sequences, iterator.resets)
        }
        #expect(sequences.count == Int(total))
        #expect(sequences == Array(1...total))
        #expect(resets >= 1)
        await client.close()
    }

    @Test func orderedConsumerStartsAtASequenceAndFilters() async throws {
        let (server, client, js) = try await Self.start()
        defer { server.shutdown() }
        try await js.createStream(StreamConfig(name: "F", subjects: ["f.>"]))
        for index in 1...20 { try await js.publish(ByteBuffer(string: "\(index)"), to: index % 2 == 0 ? "f.even" : "f.odd") }
        var seen: [UInt64] = []
        for try await message in js.orderedConsumer(stream: "F", filterSubjects: ["f.even"], start: .sequence(10), stopAt: 20) {
            seen.append(message.metadata.streamSequence)
        }
        #expect(seen == [10, 12, 14, 16, 18, 20])
        var empty = 0
        try await js.createStream(StreamConfig(name: "EMPTY", subjects: ["empty.>"]))
        for try await _ in js.orderedConsumer(stream: "EMPTY", stopAt: 0) { empty += 1 }
        #expect(empty == 0)
        await client.close()
    }

    /// Issue 10: a deleted stream must end an ordered consumer with `streamNotFound`, not make it retry or stop quietly.
    @Test func orderedConsumerThrowsStreamNotFoundWhenItsStreamIsDeleted() async throws {
        let (server, client, js) = try await Self.start()
        defer { server.shutdown() }
        try await js.createStream(StreamConfig(name: "GONE", subjects: ["gone.>"]))
        for index in 1...5 { try await js.publish(ByteBuffer(string: "\(index)"), to: "gone.x") }
        let consumer = js.orderedConsumer(stream: "GONE", batch: 10, expires: 2, heartbeat: 0.5)
        let outcome = try await withTimeout(10) { () -> (sequences: [UInt64], error: (any Error)?) in
            var iterator = consumer.makeAsyncIterator()
            var sequences: [UInt64] = []
            do {
                while let message = try await iterator.next() {
                    sequences.append(message.metadata.streamSequence)
                    if sequences.count == 5 { try await js.deleteStream("GONE") }
                }
                return (sequences, nil)
            } catch {
                return (sequences, error)
            }
        }
        #expect(outcome.sequences == [1, 2, 3, 4, 5])
        #expect((outcome.error as? JetStreamError) == .streamNotFound, "\(String(describing: outcome.error))")
        await client.close()
    }

    /// Issue 10: a consumer bound to a stream's creation time refuses a stream of the same name created at another time
    /// (a recreated stream starts its sequences over; reading on at the old position would skip its messages).
    @Test func orderedConsumerBoundToAStreamThrowsStreamRecreatedForAnotherStreamOfTheSameName() async throws {
        let (server, client, js) = try await Self.start()
        defer { server.shutdown() }
        let info = try await js.createStream(StreamConfig(name: "R", subjects: ["r.>"]))
        for index in 1...3 { try await js.publish(ByteBuffer(string: "\(index)"), to: "r.x") }
        var seen: [UInt64] = []
        for try await message in js.orderedConsumer(stream: "R", stopAt: 3).bound(toStreamCreated: info.created) {
            seen.append(message.metadata.streamSequence)
        }
        #expect(seen == [1, 2, 3])
        try await js.deleteStream("R")
        try await js.createStream(StreamConfig(name: "R", subjects: ["r.>"]))
        try await js.publish(ByteBuffer(string: "new"), to: "r.x")
        await #expect(throws: JetStreamError.streamRecreated) {
            try await withTimeout(10) {
                for try await _ in js.orderedConsumer(stream: "R", start: .sequence(4)).bound(toStreamCreated: info.created) {}
            }
        }
        await client.close()
    }

    @Test func keyValuePutGetHistoryWatchAndConflicts() async throws {
        let (server, client, js) = try await Self.start()
        defer { server.shutdown() }
        let kv = try await js.createKeyValue(bucket: "CIM_MONITOR", history: 5)
        let first = try await kv.put("monitor-a.CIM_EVENTS", Array("v1".utf8))
        let second = try await kv.put("monitor-a.CIM_EVENTS", Array("v2".utf8))
        #expect(second > first)
        #expect(try await kv.get("monitor-a.CIM_EVENTS")?.value == Array("v2".utf8))
        #expect(try await kv.get("monitor-a.CIM_EVENTS", revision: first)?.value == Array("v1".utf8))
        #expect(try await kv.get("missing") == nil)
        #expect(try await kv.history("monitor-a.CIM_EVENTS").map(\.revision) == [first, second])
        let third = try await kv.update("monitor-a.CIM_EVENTS", Array("v3".utf8), expectedRevision: second)
        await #expect(throws: JetStreamError.revisionConflict) {
            try await kv.update("monitor-a.CIM_EVENTS", Array("stale".utf8), expectedRevision: second)
        }
        await #expect(throws: JetStreamError.revisionConflict) { try await kv.create("monitor-a.CIM_EVENTS", Array("x".utf8)) }
        try await kv.delete("monitor-a.CIM_EVENTS")
        #expect(try await kv.get("monitor-a.CIM_EVENTS") == nil)
        #expect(try await kv.create("monitor-a.CIM_EVENTS", Array("again".utf8)) > third)
        try await kv.purge("monitor-a.CIM_EVENTS")
        #expect(try await kv.history("monitor-a.CIM_EVENTS").count == 1)
        await #expect(throws: JetStreamError.self) { try await kv.put("bad key", [1]) }

        let watched = Task {
            var entries: [String] = []
            for try await entry in kv.watch("watched.>") {
                entries.append("\(entry.key)=\(String(decoding: entry.value, as: UTF8.self))")
                if entries.count == 3 { break }
            }
            return entries
        }
        try await kv.put("watched.a", Array("1".utf8))
        try await Task.sleep(for: .milliseconds(200))
        try await kv.put("watched.b", Array("2".utf8))
        try await kv.put("watched.a", Array("3".utf8))
        let entries = try await withTimeout(10) { try await watched.value }
        #expect(entries == ["watched.a=1", "watched.b=2", "watched.a=3"])
        #expect(try await js.keyValue(bucket: "CIM_MONITOR").bucket == "CIM_MONITOR")
        await #expect(throws: JetStreamError.streamNotFound) { try await js.keyValue(bucket: "NOPE") }
        await client.close()
    }

    @Test func jetStreamUnavailableIsTyped() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        await #expect(throws: JetStreamError.self) { try await JetStream(client: client).accountInfo() }
        await client.close()
    }
}
