import CompressNIO
import EventMetrics
import HTTPTypes
import Hummingbird
import Monitor
import NIOCore

/// The monitor's HTTP endpoints: `/metrics`, `/healthz`, `/readyz` and a short index page; `HEAD` works on each.
///
/// With basic-auth users every path needs their credentials, but `/healthz` and `/readyz` stay open for probes
/// unless `protectHealth` is set.
public struct MonitorHTTP: Sendable {
    public let source: any MetricsSource
    public let protectHealth: Bool
    private let verifier: CredentialVerifier?

    /// The paths that stay open without credentials unless `protectHealth` is set.
    public static let healthPaths: Set<String> = ["/healthz", "/readyz"]

    /// - Parameters:
    ///   - basicAuthUsers: user name → bcrypt hash; empty means no authentication. A malformed hash, or a cost
    ///     above ``BcryptHash/maximumCost``, is an error naming the user.
    ///   - protectHealth: whether `/healthz` and `/readyz` need the credentials too.
    public init(source: any MetricsSource, basicAuthUsers: [String: String] = [:], protectHealth: Bool = false) throws(ConfigurationError) {
        self.source = source
        self.protectHealth = protectHealth
        self.verifier = basicAuthUsers.isEmpty ? nil : try CredentialVerifier(users: basicAuthUsers)
    }

    init(source: any MetricsSource, verifier: CredentialVerifier?, protectHealth: Bool) {
        self.source = source
        self.protectHealth = protectHealth
        self.verifier = verifier
    }

    public func router<Context: RequestContext>(context: Context.Type = BasicRequestContext.self) -> Router<Context> {
        let router = Router(context: Context.self, options: .autoGenerateHeadEndpoints)
        if let verifier {
            router.add(middleware: BasicAuthMiddleware<Context>(verifier: verifier, openPaths: protectHealth ? [] : Self.healthPaths))
        }
        let source = source
        router.get("/metrics") { request, _ in try Self.metrics(request, source) }
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/readyz") { _, _ in
            if let reason = source.notReadyReason() { return Self.text(.serviceUnavailable, "not ready: \(reason)\n") }
            return Self.text(.ok, "ready\n")
        }
        router.get("/") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: Self.indexPage)))
        }
        return router
    }

    /// Above this many series an uncompressed `/metrics` is sent in parts as it is rendered, not rendered whole first.
    static let streamedSeries = 20_000

    private static func metrics(_ request: Request, _ source: any MetricsSource) throws -> Response {
        let format = ExpositionFormat(accept: request.headers[.accept])
        let families = source.families()
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        // The body depends on both: caches must not serve one client's format or encoding to another.
        headers[.vary] = "Accept, Accept-Encoding"
        let gzip = acceptsGzip(request.headers[.acceptEncoding])
        if !gzip, families.reduce(0, { $0 + $1.series.count }) > streamedSeries {
            // Sent as it is rendered, a family at a time: the body of a large cluster's health is tens of megabytes.
            let parts: ExpositionParts
            do {
                parts = try format.renderParts(families)
            } catch {
                return text(.internalServerError, "cannot render metrics: \(error)\n")
            }
            return Response(
                status: .ok,
                headers: headers,
                body: ResponseBody { writer in
                    for part in parts where !part.isEmpty { try await writer.write(ByteBuffer(bytes: part)) }
                    try await writer.finish(nil)
                }
            )
        }
        let bytes: [UInt8]
        do {
            bytes = try format.render(families)
        } catch {
            return text(.internalServerError, "cannot render metrics: \(error)\n")
        }
        var body = ByteBuffer(bytes: bytes)
        if gzip, body.readableBytes > 512 {
            body = try body.compress(with: .gzip)
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
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
