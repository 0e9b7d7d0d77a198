import CompressNIO
import EventMetrics
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import Monitor
import NIOCore

/// The monitor's HTTP endpoints: `/metrics`, `/healthz`, `/readyz` and a short index page.
public struct MonitorHTTP: Sendable {
    public let monitor: MonitorService
    /// User name → bcrypt hash; empty means no authentication.
    public let basicAuthUsers: [String: String]

    public init(monitor: MonitorService, basicAuthUsers: [String: String] = [:]) {
        self.monitor = monitor
        self.basicAuthUsers = basicAuthUsers
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        if !basicAuthUsers.isEmpty { router.add(middleware: BasicAuthMiddleware(users: basicAuthUsers)) }
        router.get("/metrics") { request, _ in try metrics(request) }
        router.get("/healthz") { _, _ in text(.ok, "ok\n") }
        router.get("/readyz") { _, _ in
            if let reason = monitor.notReadyReason() { return text(.serviceUnavailable, "not ready: \(reason)\n") }
            return text(.ok, "ready\n")
        }
        router.get("/") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: Self.indexPage)))
        }
        return router
    }

    private func metrics(_ request: Request) throws -> Response {
        let format = ExpositionFormat(accept: request.headers[.accept])
        let bytes: [UInt8]
        do {
            bytes = try format.render(monitor.families())
        } catch {
            return text(.internalServerError, "cannot render metrics: \(error)\n")
        }
        var body = ByteBuffer(bytes: bytes)
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        if let encoding = request.headers[.acceptEncoding], encoding.contains("gzip"), body.readableBytes > 512 {
            body = try body.compress(with: .gzip)
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    private func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static let indexPage = """
        <!doctype html>
        <html><head><title>CIM Monitor</title></head>
        <body>
        <h1>CIM Monitor</h1>
        <p>All monitoring data comes from events.</p>
        <ul>
        <li><a href="/metrics">/metrics</a> — Prometheus metrics</li>
        <li><a href="/healthz">/healthz</a> — alive</li>
        <li><a href="/readyz">/readyz</a> — connected, caught up and consuming</li>
        </ul>
        </body></html>

        """
}

/// HTTP basic authentication against bcrypt hashes, as Prometheus exporters' web configs do.
struct BasicAuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let users: [String: String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let header = request.headers[.authorization], header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
            let colon = decoded.firstIndex(of: ":"),
            let hash = users[String(decoded[..<colon])],
            Bcrypt.verify(String(decoded[decoded.index(after: colon)...]), hash: hash)
        {
            return try await next(request, context)
        }
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Basic realm=\"cim-monitor\""
        return Response(status: .unauthorized, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "unauthorized\n")))
    }
}
