import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Testing

/// The client's read path against a real server: frames cut anywhere by the socket reads arrive intact.
@Suite(.timeLimit(.minutes(1)))
struct ReadPathTests {
    static let sizes = [0, 1, 100, 511, 512, 513, 2047, 5000, 70_000, 300_000]

    /// Message `index`: its size from `sizes`, a fill byte from the index, and the index in its first 8 bytes.
    static func payload(_ index: Int) -> ByteBuffer {
        let size = sizes[index % sizes.count]
        var buffer = ByteBuffer(repeating: UInt8(truncatingIfNeeded: index % 251), count: size)
        if size >= 8 { buffer.setInteger(UInt64(index), at: buffer.readerIndex) }
        return buffer
    }

    @Test func messagesOfEverySizeArriveIntactWhereverTheReadsCutThem() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        let count = 1500
        let subscriber = try await server.connectedClient()
        let subscription = try await subscriber.subscribe(to: "reads.>", maxMessages: count)
        try await subscriber.flush()
        let publisher = try await server.connectedClient()
        async let received: (count: Int, wrong: [Int]) = {
            var received = 0
            var wrong: [Int] = []
            for await message in subscription {
                let headerOK = message.headers?["X-Index"] == (received % 3 == 0 ? "\(received)" : nil)
                if message.subject != "reads.\(received % 7)" || message.payload != Self.payload(received) || !headerOK {
                    wrong.append(received)
                }
                received += 1
            }
            return (received, wrong)
        }()
        for index in 0..<count {
            let headers = index % 3 == 0 ? NATSHeaders([("X-Index", "\(index)")]) : nil
            try await publisher.publish(Self.payload(index), to: "reads.\(index % 7)", headers: headers)
        }
        try await publisher.flush()
        let result = await received
        #expect(result.count == count)
        #expect(result.wrong.isEmpty, "messages that differ from what was sent: \(result.wrong.prefix(20))")
        #expect(subscription.dropped == 0)
        await publisher.close()
        await subscriber.close()
    }
}
