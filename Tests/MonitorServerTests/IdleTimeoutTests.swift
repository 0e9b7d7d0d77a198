import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import MonitorServer

/// Before: the server had no idle timeout, so a client that connected and sent nothing (or half a request head)
/// held its connection forever, and a few hundred of them used up the process's file descriptors.
@Suite(.timeLimit(.minutes(1)))
struct IdleTimeoutTests {
    static func app() throws -> some ApplicationProtocol {
        Application(
            router: MonitorHTTP(source: FoldSource(), verifier: nil, protectHealth: false).router(),
            server: try MonitorApplication.server(tls: nil, idleTimeout: .milliseconds(300)),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0))
        )
    }

    @Test(arguments: ["", "GET /metrics HTTP/1.1\r\nHost: x\r\n"])
    func idleOrSlowHeaderConnectionsAreClosed(_ partialRequest: String) async throws {
        try await Self.app().test(.live) { client async throws in
            let port = try #require(client.port)
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
            // On a loaded machine the server may close the connection before the partial request is written: that is
            // the idle timeout at work, so a failed write is no failure of the test.
            if !partialRequest.isEmpty { try? await channel.writeAndFlush(ByteBuffer(string: partialRequest)) }
            let closed = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await channel.closeFuture.get()
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(3))
                    return false
                }
                let first = try await group.next() ?? false
                group.cancelAll()
                return first
            }
            if !closed { try? await channel.close() }
            #expect(closed, "the server kept a connection open for 3 s with an idle timeout of 0.3 s")
        }
    }
}
