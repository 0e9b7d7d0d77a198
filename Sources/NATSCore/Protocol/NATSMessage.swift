import NIOCore

/// A message delivered by the server (`MSG` or `HMSG`). The payload is a slice of the read buffer.
public struct NATSMessage: Sendable {
    public var subject: String
    /// The subscription id it was delivered for.
    public var sid: UInt64
    public var replyTo: String?
    /// The raw header block (`NATS/1.0…\r\n\r\n`), when the message has headers.
    public var headerBlock: ByteBuffer?
    public var payload: ByteBuffer

    public init(subject: String, sid: UInt64, replyTo: String? = nil, headerBlock: ByteBuffer? = nil, payload: ByteBuffer) {
        self.subject = subject
        self.sid = sid
        self.replyTo = replyTo
        self.headerBlock = headerBlock
        self.payload = payload
    }

    /// The parsed headers, or `nil` when the message has none or its header block is malformed.
    public var headers: NATSHeaders? {
        guard let headerBlock else { return nil }
        return try? NATSHeaders(parsing: headerBlock)
    }

    /// The status code of a status message (`NATS/1.0 503`), if any.
    public var status: Int? { headers?.status }

    /// Bytes this message occupies, as counted against pending limits.
    public var size: Int { subject.utf8.count + (replyTo?.utf8.count ?? 0) + (headerBlock?.readableBytes ?? 0) + payload.readableBytes }

    /// The payload as a UTF-8 string (lossy).
    public var string: String { String(buffer: payload) }
}
