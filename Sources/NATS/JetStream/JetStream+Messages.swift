import Foundation
import NATSCore
import NIOCore
import NIOFoundationCompat

extension JetStream {
    /// Reads one stored message by sequence, or the last one on a subject, through the stream API.
    public func getMessage(stream: String, sequence: UInt64? = nil, lastBySubject: String? = nil) async throws -> StoredMessage {
        struct Request: Encodable {
            var seq: UInt64?
            var lastBySubj: String?
        }
        struct Response: Decodable {
            struct Message: Decodable {
                var subject: String
                var seq: UInt64
                var hdrs: String?
                var data: String?
                var time: String
            }
            var message: Message
        }
        let response: Response = try await call(
            "STREAM.MSG.GET.\(try Self.checkedName(stream))",
            body: Request(seq: sequence, lastBySubj: lastBySubject)
        )
        let message = response.message
        var headers: NATSHeaders?
        if let hdrs = message.hdrs, let raw = Data(base64Encoded: hdrs) {
            headers = try? NATSHeaders(parsing: ByteBuffer(data: raw))
        }
        let data = message.data.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? []
        return StoredMessage(subject: message.subject, sequence: message.seq, headers: headers, data: data, time: message.time)
    }

    /// Reads one stored message through direct get (any replica answers; the stream needs `allow_direct`).
    public func directGet(stream: String, sequence: UInt64? = nil, lastBySubject: String? = nil) async throws -> StoredMessage {
        struct Request: Encodable {
            var seq: UInt64?
            var lastBySubj: String?
        }
        let name = try Self.checkedName(stream)
        let reply: NATSMessage
        if let lastBySubject, sequence == nil {
            reply = try await rawCall("DIRECT.GET.\(name).\(lastBySubject)", payload: ByteBuffer())
        } else {
            let body = ByteBuffer(data: try Self.encoder.encode(Request(seq: sequence, lastBySubj: lastBySubject)))
            reply = try await rawCall("DIRECT.GET.\(name)", payload: body)
        }
        guard let headers = reply.headers else { throw JetStreamError.badResponse("direct get reply without headers") }
        if let status = headers.status, status >= 400 {
            if status == 404 { throw JetStreamError.noMessageFound }
            throw JetStreamError(status: status, errCode: -1, message: headers.statusDescription ?? "direct get failed")
        }
        guard let subject = headers["Nats-Subject"], let sequenceText = headers["Nats-Sequence"], let sequence = UInt64(sequenceText) else {
            throw JetStreamError.badResponse("direct get reply lacks Nats-Subject or Nats-Sequence")
        }
        var userHeaders = NATSHeaders()
        for field in headers where !["nats-stream", "nats-subject", "nats-sequence", "nats-time-stamp"].contains(field.name.lowercased()) {
            userHeaders.append(field.name, field.value)
        }
        return StoredMessage(
            subject: subject,
            sequence: sequence,
            headers: userHeaders.isEmpty ? nil : userHeaders,
            data: Array(reply.payload.readableBytesView),
            time: headers["Nats-Time-Stamp"] ?? ""
        )
    }

    /// Expectations checked by the server before it stores a published message.
    public struct PublishExpectations: Sendable {
        public var stream: String?
        public var lastSequence: UInt64?
        public var lastSubjectSequence: UInt64?
        public var lastMessageID: String?

        public init(stream: String? = nil, lastSequence: UInt64? = nil, lastSubjectSequence: UInt64? = nil, lastMessageID: String? = nil) {
            self.stream = stream
            self.lastSequence = lastSequence
            self.lastSubjectSequence = lastSubjectSequence
            self.lastMessageID = lastMessageID
        }
    }

    /// Publishes into a stream and waits for its acknowledgement.
    ///
    /// `messageID` (`Nats-Msg-Id`) deduplicates within the stream's duplicate window: a repeat returns
    /// `duplicate: true` and stores nothing. Failed expectations throw `wrongLastSequence` and friends.
    @discardableResult
    public func publish(
        _ payload: ByteBuffer,
        to subject: String,
        headers: NATSHeaders? = nil,
        messageID: String? = nil,
        expect: PublishExpectations = PublishExpectations()
    ) async throws -> PubAck {
        let headers = Self.publishHeaders(headers, messageID: messageID, expect: expect)
        let reply: NATSMessage
        do {
            reply = try await client.request(payload, to: subject, headers: headers, timeout: timeout)
        } catch {
            if error.code == .noResponders { throw JetStreamError(status: 503, errCode: -1, message: "no stream listens on \(subject)") }
            throw error
        }
        return try Self.decode(PubAck.self, from: reply.payload, endpoint: "publish to \(subject)")
    }

    static func publishHeaders(_ headers: NATSHeaders?, messageID: String?, expect: PublishExpectations) -> NATSHeaders? {
        let hasExpectations = [expect.stream, expect.lastMessageID].contains { $0 != nil } || expect.lastSequence != nil
        guard messageID != nil || hasExpectations || expect.lastSubjectSequence != nil else { return headers }
        var result = headers ?? NATSHeaders()
        if let messageID { result.set("Nats-Msg-Id", messageID) }
        if let stream = expect.stream { result.set("Nats-Expected-Stream", stream) }
        if let sequence = expect.lastSequence { result.set("Nats-Expected-Last-Sequence", String(sequence)) }
        if let sequence = expect.lastSubjectSequence { result.set("Nats-Expected-Last-Subject-Sequence", String(sequence)) }
        if let id = expect.lastMessageID { result.set("Nats-Expected-Last-Msg-Id", id) }
        return result
    }
}
