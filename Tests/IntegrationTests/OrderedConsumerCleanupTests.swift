import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Testing

/// An ordered consumer that is abandoned (its iterator dropped mid-stream) is deleted on the server by a job of the
/// client's work loop: no task is started from a `deinit`, and no consumer is left behind for its inactive threshold.
@Suite(.timeLimit(.minutes(1)))
struct OrderedConsumerCleanupTests {
    @Test func anAbandonedOrderedConsumerIsDeletedByTheClientsWorkLoop() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let js = JetStream(client: client, timeout: 5)
        try await js.createStream(StreamConfig(name: "ABANDON", subjects: ["abandon.>"]))
        for index in 1...50 { try await js.publish(ByteBuffer(string: "\(index)"), to: "abandon.x") }
        do {
            var iterator = js.orderedConsumer(stream: "ABANDON", batch: 10, expires: 2, heartbeat: 0.5).makeAsyncIterator()
            for _ in 0..<5 { _ = try await iterator.next() }
            #expect(try await js.consumerNames(stream: "ABANDON").count == 1)
        }
        var left = 1
        for _ in 0..<50 where left > 0 {
            try await Task.sleep(for: .milliseconds(100))
            left = try await js.consumerNames(stream: "ABANDON").count
        }
        #expect(left == 0)
        await client.close()
    }
}
