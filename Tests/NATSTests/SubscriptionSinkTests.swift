import NATSCore
import NIOCore
import Synchronization
import Testing

@testable import NATS

@Suite struct SubscriptionSinkTests {
    /// What the sink reported through `onSlowConsumer`.
    final class Signals: Sendable {
        let dropped = Mutex<[Int]>([])
    }

    /// Messages whose payloads are their numbers plus 1000 (4 bytes; 5 with the subject `s`).
    static func messages(_ range: Range<Int>) -> [NATSMessage] {
        range.map { NATSMessage(subject: "s", sid: 1, payload: ByteBuffer(string: label($0))) }
    }

    static func label(_ number: Int) -> String { String(number + 1000) }

    static func strings(_ messages: [NATSMessage]) -> [String] { messages.map { $0.string } }

    static func sink(messageLimit: Int = 1_000, byteLimit: Int = 1 << 20, maxMessages: Int? = nil, signals: Signals = Signals()) -> SubscriptionSink {
        SubscriptionSink(sid: 1, subject: "s", queue: nil, messageLimit: messageLimit, byteLimit: byteLimit, maxMessages: maxMessages) { _, dropped in
            signals.dropped.withLock { $0.append(dropped) }
        }
    }

    @Test func batchesArriveInOrderAndLeaveTheBatchEmpty() async {
        let sink = Self.sink()
        var batch = Self.messages(0..<3)
        sink.append(contentsOf: &batch)
        #expect(batch.isEmpty)
        batch = Self.messages(3..<5)
        sink.append(contentsOf: &batch)  // appended behind what is buffered
        #expect(batch.isEmpty)
        #expect(Self.strings(await sink.take()) == (0..<5).map(Self.label))
        batch = Self.messages(5..<6)
        sink.append(contentsOf: &batch)
        #expect(Self.strings(await sink.take()) == [Self.label(5)])
        #expect(sink.delivered == 6 && sink.received == 6 && sink.dropped == 0)
    }

    @Test func autoUnsubscribeCutsTheBatchAndFinishes() async {
        let sink = Self.sink(maxMessages: 4)
        var batch = Self.messages(0..<3)
        sink.append(contentsOf: &batch)
        batch = Self.messages(3..<6)
        sink.append(contentsOf: &batch)
        #expect(sink.isFinished)
        #expect(await sink.take().count == 4)
        #expect(await sink.take().isEmpty)
        #expect(sink.received == 4)
    }

    @Test func pastTheLimitsMessagesAreDroppedCountedAndSignalledOncePerEpisode() async {
        let signals = Signals()
        let sink = Self.sink(messageLimit: 5, signals: signals)
        var batch = Self.messages(0..<8)
        sink.append(contentsOf: &batch)
        #expect(batch.isEmpty)
        batch = Self.messages(8..<10)
        sink.append(contentsOf: &batch)  // still slow: no second signal
        #expect(sink.dropped == 5 && sink.pendingMessages == 5)
        #expect(signals.dropped.withLock { $0 } == [1])
        #expect(Self.strings(await sink.take()) == (0..<5).map(Self.label))
        batch = Self.messages(10..<11)
        sink.append(contentsOf: &batch)  // fits again: the episode is over
        batch = Self.messages(11..<20)
        sink.append(contentsOf: &batch)
        #expect(signals.dropped.withLock { $0 } == [1, 6])

        let bytes = Self.sink(byteLimit: 12)  // each message is 1 + 4 bytes
        batch = Self.messages(0..<3)
        bytes.append(contentsOf: &batch)
        #expect(bytes.pendingMessages == 2 && bytes.dropped == 1)
    }

    @Test func aFinishedSinkTakesNothingMore() async {
        let sink = Self.sink()
        sink.finish()
        var batch = Self.messages(0..<3)
        sink.append(contentsOf: &batch)
        #expect(batch.isEmpty)
        #expect(await sink.take().isEmpty)
    }
}
