import NATSCore
import NIOCore
import Testing

@testable import NATS

@Suite struct OutboundBufferTests {
    /// Moves the bytes out as the client does for a socket write.
    static func drain(_ outbound: inout OutboundBuffer) -> ByteBuffer {
        var bytes = ByteBuffer()
        outbound.moveAll(to: &bytes)
        #expect(outbound.count == 0)
        return bytes
    }

    /// What the client queues is exactly what `ByteBuffer`'s encoders write, whatever the mix.
    @Test func queuesTheSameBytesAsTheByteBufferEncoders() {
        var outbound = OutboundBuffer(capacity: 64)
        var reference = ByteBuffer()
        for index in 0..<2_000 {
            let payload = ByteBuffer(repeating: UInt8(ascii: "a") + UInt8(index % 26), count: index % 70)
            let subject = index % 3 == 0 ? "cim.person.events.person.created" : "s.\(index)"
            let reply = index % 5 == 0 ? "_INBOX.\(index)" : nil
            if index % 4 == 0 {
                let headers = NATSHeaders([("Nats-Msg-Id", "\(index)"), ("K", "v")])
                outbound.writePublish(subject: subject, replyTo: reply, headers: headers, payload: payload)
                reference.writePublish(subject: subject, replyTo: reply, headers: headers, payload: payload)
            } else {
                outbound.writePublish(subject: subject, replyTo: reply, payload: payload)
                reference.writePublish(subject: subject, replyTo: reply, headers: nil, payload: payload)
            }
            if index % 7 == 0 {
                var protocolBytes = ByteBuffer()
                protocolBytes.writeSubscribe(subject: "x.>", queue: nil, sid: UInt64(index))
                outbound.write(protocolBytes)
                reference.writeSubscribe(subject: "x.>", queue: nil, sid: UInt64(index))
            }
        }
        #expect(outbound.count == reference.readableBytes)
        #expect(Self.drain(&outbound) == reference)
        outbound.writePublish(subject: "again", replyTo: nil, payload: ByteBuffer(string: "!"))  // the emptied buffer is reused
        #expect(String(buffer: Self.drain(&outbound)) == "PUB again 1\r\n!\r\n")
    }

    @Test func truncateUndoesTheLastAppends() {
        var outbound = OutboundBuffer()
        outbound.writePublish(subject: "a", replyTo: nil, payload: ByteBuffer(string: "kept"))
        let before = outbound.count
        outbound.writePublish(subject: "b", replyTo: nil, payload: ByteBuffer(repeating: 0x41, count: 10_000))
        outbound.truncate(to: before)
        outbound.writePublish(subject: "c", replyTo: nil, payload: ByteBuffer(string: "next"))
        #expect(String(buffer: Self.drain(&outbound)) == "PUB a 4\r\nkept\r\nPUB c 4\r\nnext\r\n")
    }

    @Test func anEmptiedBufferGivesBackWhatABurstNeeded() {
        var outbound = OutboundBuffer(capacity: 64)
        let payload = ByteBuffer(repeating: 0x41, count: 1000)
        for _ in 0..<3_000 { outbound.writePublish(subject: "burst", replyTo: nil, payload: payload) }
        #expect(outbound.capacity > OutboundBuffer.retainedCapacity)
        #expect(Self.drain(&outbound).readableBytes == 3_000 * "PUB burst 1000\r\n".utf8.count + 3_000 * 1002)
        #expect(outbound.capacity <= OutboundBuffer.retainedCapacity)

        for _ in 0..<500 { outbound.writePublish(subject: "steady", replyTo: nil, payload: payload) }
        let steady = outbound.capacity
        _ = Self.drain(&outbound)
        #expect(outbound.capacity == steady)  // kept for the next writes
    }

    /// A copy is a value: writing to one (which grows or reuses the storage) never changes the other.
    @Test func copiesAreIndependent() {
        var original = OutboundBuffer(capacity: 64)
        original.writePublish(subject: "a", replyTo: nil, payload: ByteBuffer(string: "1"))
        var copy = original
        copy.writePublish(subject: "b", replyTo: nil, payload: ByteBuffer(string: "2"))  // fits: copied, not shared
        original.writePublish(subject: "c", replyTo: nil, payload: ByteBuffer(repeating: 0x41, count: 200))  // grows
        var joined = OutboundBuffer(capacity: 64)
        joined.write(copy)
        joined.write(copy)
        #expect(joined.count == 2 * copy.count)
        #expect(String(buffer: Self.drain(&copy)) == "PUB a 1\r\n1\r\nPUB b 1\r\n2\r\n")
        #expect(String(buffer: Self.drain(&original)).hasPrefix("PUB a 1\r\n1\r\nPUB c 200\r\nAAA"))
        #expect(String(buffer: Self.drain(&joined)) == "PUB a 1\r\n1\r\nPUB b 1\r\n2\r\nPUB a 1\r\n1\r\nPUB b 1\r\n2\r\n")
    }
}
