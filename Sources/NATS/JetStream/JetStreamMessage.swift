import NATSCore
import NIOCore

/// A message delivered by a JetStream consumer, with its metadata and acknowledgement methods.
public struct JetStreamMessage: Sendable {
    public let message: NATSMessage
    /// Parsed from the `$JS.ACK` reply subject.
    public let metadata: AckMetadata
    let client: NATSClient

    /// `stream` and `consumer`, when given, are reused for the metadata's names when the reply subject has them.
    init?(_ message: NATSMessage, client: NATSClient, stream: String? = nil, consumer: String? = nil) {
        guard let reply = message.replyTo, let metadata = AckMetadata(replySubject: reply, knownStream: stream, knownConsumer: consumer)
        else { return nil }
        self.message = message
        self.metadata = metadata
        self.client = client
    }

    public var subject: String { message.subject }
    public var payload: ByteBuffer { message.payload }
    public var headers: NATSHeaders? { message.headers }

    /// Acknowledges the message.
    public func ack() async throws { try await reply("+ACK") }

    /// Asks for redelivery, after `delay` seconds when given.
    public func nak(delay: Double? = nil) async throws {
        if let delay {
            try await reply("-NAK {\"delay\":\(Int64(delay * 1e9))}")
        } else {
            try await reply("-NAK")
        }
    }

    /// Resets the ack timer: still working on it.
    public func inProgress() async throws { try await reply("+WPI") }

    /// Never redeliver this message.
    public func term(reason: String? = nil) async throws { try await reply(reason.map { "+TERM \($0)" } ?? "+TERM") }

    /// Acknowledges and waits until the server confirms it recorded the ack.
    public func ackSync(timeout: Double = 5) async throws {
        guard let replyTo = message.replyTo else { return }
        _ = try await client.request("+ACK", to: replyTo, timeout: timeout)
    }

    private func reply(_ text: String) async throws {
        guard let replyTo = message.replyTo else { return }
        try await client.publish(text, to: replyTo)
    }
}
