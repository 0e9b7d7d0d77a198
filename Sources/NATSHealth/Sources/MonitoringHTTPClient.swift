import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 GET client on SwiftNIO for the servers' monitoring endpoints: one connection per request, a
/// deadline for the whole exchange and a cap on the body.
public struct MonitoringHTTPClient: Sendable {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// `connect`, `timeout`, `http_status`, `too_large`, `truncated`.
        public let reason: String
        public let message: String
        public var description: String { message }
    }

    public struct Response: Sendable {
        public var status: Int
        public var body: ByteBuffer
    }

    public let eventLoopGroup: any EventLoopGroup
    public let maximumBodyBytes: Int

    public init(eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, maximumBodyBytes: Int = 512 << 20) {
        self.eventLoopGroup = eventLoopGroup
        self.maximumBodyBytes = maximumBodyBytes
    }

    /// GETs `path` from `host:port` within `timeout` seconds.
    public func get(host: String, port: Int, path: String, timeout: Double) async throws(Failure) -> Response {
        let loop = eventLoopGroup.next()
        let promise = loop.makePromise(of: Response.self)
        let limit = maximumBodyBytes
        let deadline = TimeAmount.nanoseconds(Int64(max(0.001, timeout) * 1_000_000_000))
        let timer = loop.scheduleTask(in: deadline) {
            promise.fail(Failure(reason: "timeout", message: "\(host):\(port)\(path) did not answer within \(timeout) s"))
        }
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(deadline)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise, limit: limit))
                }
            }
        bootstrap.connect(host: host, port: port).whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(Failure(reason: "connect", message: "cannot connect to \(host):\(port): \(error)"))
            case .success(let channel):
                promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
                head.headers.add(name: "Host", value: "\(host):\(port)")
                head.headers.add(name: "Accept", value: "application/json")
                head.headers.add(name: "Connection", value: "close")
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        do {
            return try await promise.futureResult.get()
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(reason: "connect", message: "\(host):\(port)\(path): \(error)")
        }
    }
}

/// Collects one response; fails the promise when the body exceeds the limit or the connection ends early.
private final class ResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<MonitoringHTTPClient.Response>
    private let limit: Int
    private var status = 0
    private var body = ByteBuffer()
    private var done = false

    init(promise: EventLoopPromise<MonitoringHTTPClient.Response>, limit: Int) {
        self.promise = promise
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(var part):
            guard body.readableBytes + part.readableBytes <= limit else {
                finish(.failure(MonitoringHTTPClient.Failure(reason: "too_large", message: "the response is larger than \(limit) bytes")))
                context.close(promise: nil)
                return
            }
            body.writeBuffer(&part)
        case .end:
            finish(.success(MonitoringHTTPClient.Response(status: status, body: body)))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(MonitoringHTTPClient.Failure(reason: "truncated", message: "the connection closed before the response was complete")))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(MonitoringHTTPClient.Failure(reason: "truncated", message: "the response could not be read: \(error)")))
        context.close(promise: nil)
    }

    private func finish(_ result: Result<MonitoringHTTPClient.Response, MonitoringHTTPClient.Failure>) {
        guard !done else { return }
        done = true
        switch result {
        case .success(let response): promise.succeed(response)
        case .failure(let failure): promise.fail(failure)
        }
    }
}
