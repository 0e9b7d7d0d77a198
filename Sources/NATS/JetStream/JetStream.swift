import Foundation
import NATSCore
import NIOCore
import NIOFoundationCompat

/// The JetStream API over a connected `NATSClient`: streams, consumers, publishing with acks, consumption, KV.
///
/// `domain` selects `$JS.<domain>.API`; `apiPrefix` overrides the prefix entirely (for imported APIs).
public struct JetStream: Sendable {
    public let client: NATSClient
    /// `$JS.API`, `$JS.<domain>.API` or a custom prefix.
    public let apiPrefix: String
    public let domain: String?
    /// Seconds to wait for each API reply.
    public var timeout: Double

    public init(client: NATSClient, domain: String? = nil, apiPrefix: String? = nil, timeout: Double = 5) {
        self.client = client
        self.domain = domain
        self.apiPrefix = apiPrefix ?? domain.map { "$JS.\($0).API" } ?? "$JS.API"
        self.timeout = timeout
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// Calls an API endpoint (`STREAM.INFO.X`, …) with a JSON body and decodes the reply.
    public func call<Response: Decodable>(_ endpoint: String, body: some Encodable, as: Response.Type = Response.self) async throws -> Response {
        let payload: ByteBuffer
        do {
            payload = ByteBuffer(data: try Self.encoder.encode(body))
        } catch {
            throw JetStreamError.badResponse("cannot encode the request for \(endpoint): \(error)")
        }
        return try await call(endpoint, payload: payload)
    }

    /// Calls an API endpoint with a raw payload (often empty) and decodes the reply.
    public func call<Response: Decodable>(
        _ endpoint: String,
        payload: ByteBuffer = ByteBuffer(),
        as: Response.Type = Response.self
    ) async throws -> Response {
        let reply = try await rawCall(endpoint, payload: payload)
        return try Self.decode(Response.self, from: reply.payload, endpoint: endpoint)
    }

    /// Sends a request to `<prefix>.<endpoint>`; no responders become `JetStreamError.unavailable`.
    func rawCall(_ endpoint: String, payload: ByteBuffer) async throws -> NATSMessage {
        do {
            return try await client.request(payload, to: "\(apiPrefix).\(endpoint)", timeout: timeout)
        } catch {
            if error.code == .noResponders { throw JetStreamError.unavailable }
            throw error
        }
    }

    static func decode<Response: Decodable>(_ type: Response.Type, from payload: ByteBuffer, endpoint: String) throws -> Response {
        if let envelope = try? decoder.decode(ErrorEnvelope.self, from: payload), let error = envelope.error {
            throw JetStreamError(status: error.code, errCode: error.errCode ?? 0, message: error.description ?? "JetStream error")
        }
        do {
            return try decoder.decode(Response.self, from: payload)
        } catch {
            throw JetStreamError.badResponse("unexpected reply to \(endpoint): \(error)")
        }
    }

    private struct ErrorEnvelope: Decodable {
        struct Body: Decodable {
            var code: Int
            var errCode: Int?
            var description: String?
        }
        var error: Body?
    }

    /// The account's JetStream usage and limits.
    public func accountInfo() async throws -> AccountInfo {
        try await call("INFO")
    }
}

/// An empty JSON object body.
struct EmptyBody: Encodable {}
