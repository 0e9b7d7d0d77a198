import Logging
import NATS
import NATSCore
import NATSTestSupport
import ServiceLifecycle
import Testing

/// The client's lifecycle with a real server: run as a `Service`, its work loop owning reconnects.
@Suite(.timeLimit(.minutes(1)))
struct ClientLifecycleTests {
    @Test func aClientRunAsAServiceReconnectsAndDrainsOnGracefulShutdown() async throws {
        let server = try NATSServer(jetStream: false)
        try server.start()
        defer { server.shutdown() }
        var options = try NATSOptions(urls: [server.url])
        options.reconnectWait = 0.05
        options.maxReconnectWait = 0.2
        let client = try NATSClient(options: options)
        let group = ServiceGroup(services: [client], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        try await client.connect()
        let subscription = try await client.subscribe(to: "lifecycle")
        try await client.flush()
        let events = client.events
        // A server restart: the work loop reconnects and resubscribes.
        server.stop()
        try server.start()
        var reconnected = false
        for await event in events {
            if case .reconnected = event {
                reconnected = true
                break
            }
        }
        #expect(reconnected)
        try await client.publish("after", to: "lifecycle")
        var iterator = subscription.makeAsyncIterator()
        #expect(await iterator.next()?.string == "after")
        // A graceful shutdown drains the client and ends its service.
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(!client.isConnected)
        await #expect(throws: NATSError.self) { try await client.publish("late", to: "lifecycle") }
    }
}
