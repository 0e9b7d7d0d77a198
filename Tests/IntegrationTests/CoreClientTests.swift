import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Testing

/// The client against a real nats-server on a free loopback port.
@Suite(.timeLimit(.minutes(1)))
struct CoreClientTests {
    @Test func publishedMessagesArriveWithHeaders() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let subscription = try await client.subscribe(to: "cim.*.events.>", maxMessages: 2)
        try await client.flush()
        try await client.publish("first", to: "cim.graph.events.node.added")
        try await client.publish("second", to: "cim.graph.events.node.removed", headers: NATSHeaders([("X-Event-Type", "NodeRemoved")]))
        var received: [NATSMessage] = []
        for await message in subscription { received.append(message) }
        #expect(received.map(\.string) == ["first", "second"])
        #expect(received[1].headers?["x-event-type"] == "NodeRemoved")
        await client.close()
    }

    @Test func requestGetsTheReplyAndNoRespondersIsTyped() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        let service = try await server.connectedClient()
        let requests = try await service.subscribe(to: "svc.echo")
        try await service.flush()
        let responder = Task {
            for await request in requests {
                try await service.publish("echo: \(request.string)", to: request.replyTo!)
            }
        }
        let client = try await server.connectedClient()
        let reply = try await client.request("ping", to: "svc.echo", timeout: 2)
        #expect(reply.string == "echo: ping")
        await #expect {
            _ = try await client.request("ping", to: "svc.nobody", timeout: 2)
        } throws: { ($0 as? NATSError)?.code == .noResponders }
        responder.cancel()
        await service.close()
        await client.close()
    }

    /// A request ends when its task is cancelled, instead of waiting out its timeout (a shutdown must not wait).
    @Test func aCancelledRequestEndsAtOnce() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        let silent = try await server.connectedClient()
        let requests = try await silent.subscribe(to: "svc.silent")
        try await silent.flush()
        let client = try await server.connectedClient()
        let started = ContinuousClock.now
        let request = Task { try await client.request("ping", to: "svc.silent", timeout: 30) }
        try await Task.sleep(for: .milliseconds(200))
        request.cancel()
        await #expect { _ = try await request.value } throws: { ($0 as? NATSError)?.code == .cancelled }
        #expect(ContinuousClock.now - started < .seconds(5))
        // The client still works.
        let echo = Task {
            for await message in requests { try await silent.publish("pong", to: message.replyTo!) }
        }
        #expect(try await client.request("ping", to: "svc.silent", timeout: 5).string == "pong")
        echo.cancel()
        await client.close()
        await silent.close()
    }

    @Test func queueGroupSharesTheMessages() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let first = try await client.subscribe(to: "work", queue: "workers")
        let second = try await client.subscribe(to: "work", queue: "workers")
        try await client.flush()
        for index in 0..<200 { try await client.publish("\(index)", to: "work") }
        try await client.flush()
        let counts = try await withTimeout(10) {
            async let a = Self.countUntilQuiet(first)
            async let b = Self.countUntilQuiet(second)
            return try await (a, b)
        }
        #expect(counts.0 + counts.1 == 200)
        #expect(counts.0 > 0 && counts.1 > 0)
        await client.close()
    }

    static func countUntilQuiet(_ subscription: NATSSubscription) async throws -> Int {
        var count = 0
        let task = Task {
            for await _ in subscription { count += 1 }
            return count
        }
        var last = -1
        while subscription.delivered != last {
            last = subscription.delivered
            try await Task.sleep(for: .milliseconds(300))
        }
        task.cancel()
        return subscription.delivered
    }

    @Test func maxPayloadIsEnforcedBeforeSending() async throws {
        let server = try NATSServer(jetStream: false, extraConfiguration: "max_payload: 1024")
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        await #expect {
            try await client.publish(ByteBuffer(repeating: 0, count: 1025), to: "big")
        } throws: { ($0 as? NATSError)?.code == .maxPayloadExceeded }
        try await client.publish(ByteBuffer(repeating: 0, count: 1024), to: "big")
        try await client.flush()
        await client.close()
    }

    @Test func reconnectsAfterServerRestartAndKeepsReceiving() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let subscription = try await client.subscribe(to: "restart.test")
        try await client.flush()
        try await client.publish("before", to: "restart.test")
        // The server writes "before" to us ahead of the PONG: once flushed, it is here, whatever the stop drops.
        try await client.flush()
        let events = client.events
        server.stop()
        try await Task.sleep(for: .milliseconds(100))
        // Published while disconnected: held and sent after the reconnect.
        try await client.publish("while-down", to: "restart.test")
        try server.start()
        let reconnected = try await withTimeout(10) {
            for await event in events { if case .reconnected = event { return true } }
            return false
        }
        #expect(reconnected)
        try await client.publish("after", to: "restart.test")
        let received = try await withTimeout(10) {
            var texts: [String] = []
            for await message in subscription {
                texts.append(message.string)
                if texts.count == 3 { break }
            }
            return texts
        }
        #expect(received == ["before", "while-down", "after"])
        #expect(client.statistics.reconnects == 1)
        await client.close()
    }

    @Test func reconnectBufferHasALimit() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient { $0.reconnectBufferSize = 4096 }
        server.stop()
        #expect(try await eventually { !client.isConnected })
        await #expect {
            for _ in 0..<100 { try await client.publish(ByteBuffer(repeating: 1, count: 100), to: "held") }
        } throws: { ($0 as? NATSError)?.code == .reconnectBufferFull }
        await client.close()
    }

    @Test func movesToAnotherClusterMemberAndKeepsReceiving() async throws {
        let servers = try makeCluster(size: 3)
        defer {
            for server in servers { server.shutdown() }
        }
        // Only the first server is configured; the others are learnt from INFO's connect_urls.
        let client = try await servers[0].connectedClient()
        let subscription = try await client.subscribe(to: "cluster.test")
        try await client.flush()
        let publisher = try await servers[2].connectedClient()
        let reader = Task {
            for await message in subscription where message.string == "after-failover" { return true }
            return false
        }
        servers[0].stop()
        #expect(try await eventually(10) { client.connectedServer.map { $0.port != servers[0].port } ?? false })
        let publishing = Task {
            while !Task.isCancelled {
                try await publisher.publish("after-failover", to: "cluster.test")
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { publishing.cancel() }
        let received = try await withTimeout(15) { await reader.value }
        #expect(received)
        #expect(client.statistics.reconnects == 1)
        await client.close()
        await publisher.close()
    }

    @Test func slowConsumersAreCountedAndSignalledNotSilentlyDropped() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient { $0.pendingMessageLimit = 10 }
        let events = client.events
        let subscription = try await client.subscribe(to: "slow")
        try await client.flush()
        for index in 0..<100 { try await client.publish("\(index)", to: "slow") }
        try await client.flush()
        let signalled = try await withTimeout(5) {
            for await event in events {
                if case .slowConsumer(let subject, let dropped) = event { return subject == "slow" && dropped > 0 }
            }
            return false
        }
        #expect(signalled)
        #expect(subscription.dropped == 90)
        var delivered = 0
        for await _ in subscription {
            delivered += 1
            if delivered == 10 { break }
        }
        #expect(delivered == 10)
        await client.close()
    }

    @Test func drainDeliversWhatWasBufferedThenCloses() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let subscription = try await client.subscribe(to: "drain.me")
        try await client.flush()
        for index in 0..<50 { try await client.publish("\(index)", to: "drain.me") }
        try await client.drain()
        var received = 0
        for await _ in subscription { received += 1 }
        #expect(received == 50)
        #expect(!client.isConnected)
        await #expect(throws: NATSError.self) { try await client.publish("late", to: "drain.me") }
    }
}
