import HTTPTypes
import Hummingbird
import NIOCore

/// HTTP basic authentication against bcrypt hashes, as Prometheus exporters' web configs do.
///
/// Requests for `openPaths` (by default `/healthz` and `/readyz`, so that liveness probes work without credentials)
/// pass without a check. Without valid credentials the answer is 401 with `WWW-Authenticate`; while too many
/// bcrypt verifications are running it is 429 with `Retry-After`.
struct BasicAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let verifier: CredentialVerifier
    let openPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) { return try await next(request, context) }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        switch await verifier.verify(authorization: request.headers[.authorization]) {
        case .accepted:
            return try await next(request, context)
        case .rejected:
            headers[.wwwAuthenticate] = "Basic realm=\"cim-monitor\", charset=\"UTF-8\""
            return Response(status: .unauthorized, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "unauthorized\n")))
        case .busy:
            headers[.retryAfter] = "1"
            return Response(
                status: .tooManyRequests,
                headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: "too many password checks at once; try again\n"))
            )
        }
    }
}
