import NATS
import NATSTestSupport

extension NATSServer {
    /// A client connected to this server that reconnects quickly (tests stop and restart servers); `configure`
    /// changes further options first.
    func connectedClient(configure: (inout NATSOptions) -> Void = { _ in }) async throws -> NATSClient {
        var options = try NATSOptions(urls: [url])
        options.reconnectWait = 0.05
        options.maxReconnectWait = 0.2
        configure(&options)
        let client = try NATSClient(options: options)
        try await client.connect()
        return client
    }
}
