import Foundation
import NATSCore
import NIOCore
import NIOFoundationCompat

extension JetStream {
    /// Takes a snapshot of a stream through `$JS.API.STREAM.SNAPSHOT.<stream>`.
    ///
    /// The server answers with the stream's config and state (returned as the raw reply, so no field is lost),
    /// then sends the data in chunks to an inbox. Each chunk carries an ack subject: it is acknowledged once
    /// `chunk` returned, which is the server's flow control (it keeps a bounded window of unacknowledged chunks and
    /// gives up after a few seconds without acks). The end is an empty message: status 204 (or none) is success,
    /// 408 or 500 a failure, thrown as `JetStreamError`.
    ///
    /// - Parameters:
    ///   - includeConsumers: the consumers' state (ack floors, pending) goes into the snapshot too.
    ///   - check: ask the server to check the stream's integrity first (`jsck`).
    ///   - idleTimeout: seconds without a chunk after which the transfer is abandoned.
    /// - Returns: the snapshot reply (`{"config":…,"state":…}`).
    public func snapshot(
        stream: String,
        chunkSize: Int = 256 << 10,
        includeConsumers: Bool = true,
        check: Bool = false,
        idleTimeout: Double = 30,
        chunk: (ByteBuffer) async throws -> Void
    ) async throws -> ByteBuffer {
        struct Request: Encodable {
            var deliverSubject: String
            var noConsumers: Bool
            var chunkSize: Int
            var jsck: Bool
        }
        struct Reply: Decodable { var config: StreamConfig }
        let name = try Self.checkedName(stream)
        let inbox = "\(client.options.inboxPrefix).\(NUID.next())"
        let subscription = try await client.subscribe(to: inbox)
        let body = ByteBuffer(
            data: try Self.encoder.encode(Request(deliverSubject: inbox, noConsumers: !includeConsumers, chunkSize: chunkSize, jsck: check))
        )
        let reply = try await rawCall("STREAM.SNAPSHOT.\(name)", payload: body)
        _ = try Self.decode(Reply.self, from: reply.payload, endpoint: "STREAM.SNAPSHOT.\(name)")
        let activity = Watchdog(idleTimeout: idleTimeout)
        let client = self.client
        let watchdog = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                if activity.expired() {
                    try? await subscription.unsubscribe()
                    return
                }
            }
        }
        defer { watchdog.cancel() }
        var finished = false
        for await message in subscription {
            activity.touch()
            if message.payload.readableBytes == 0 {
                if let status = message.status, status != 204 {
                    try? await subscription.unsubscribe()
                    throw JetStreamError(
                        status: status,
                        errCode: -1,
                        message: "snapshot of \(stream) failed: \(message.headers?.statusDescription ?? "status \(status)")"
                    )
                }
                finished = true
                break
            }
            try await chunk(message.payload)
            if let ack = message.replyTo { try await client.publish(ByteBuffer(), to: ack) }
        }
        try? await subscription.unsubscribe()
        guard finished else {
            throw JetStreamError(status: 408, errCode: -1, message: "snapshot of \(stream) stalled: no data for \(Int(idleTimeout))s")
        }
        return reply.payload
    }

    /// Restores a stream through `$JS.API.STREAM.RESTORE.<stream>`: `request` is `{"config":…,"state":…}` as
    /// ``snapshot(stream:chunkSize:includeConsumers:check:idleTimeout:chunk:)`` returned it (with the name it is
    /// restored under). `nextChunk` gives the snapshot data piece by piece, `nil` at the end; each piece is sent as
    /// a request and acknowledged by the server before the next, then an empty message ends the transfer and the
    /// server's reply (the restored stream's info) is returned.
    ///
    /// - Parameter finishTimeout: seconds the server may take to unpack and load the stream after the last chunk.
    @discardableResult
    public func restore(
        stream: String,
        request: ByteBuffer,
        finishTimeout: Double = 300,
        nextChunk: () async throws -> ByteBuffer?
    ) async throws -> StreamInfo {
        struct Reply: Decodable { var deliverSubject: String }
        let name = try Self.checkedName(stream)
        let reply: Reply = try await call("STREAM.RESTORE.\(name)", payload: request)
        while let chunk = try await nextChunk() {
            let answer = try await client.request(chunk, to: reply.deliverSubject, timeout: max(timeout, 30))
            if answer.payload.readableBytes > 0 {
                // A failure is an API error reply; anything else non-empty is unexpected.
                _ = try Self.decode(SuccessResponse.self, from: answer.payload, endpoint: "restore of \(stream)")
            }
        }
        let final = try await client.request(ByteBuffer(), to: reply.deliverSubject, timeout: finishTimeout)
        return try Self.decode(StreamInfo.self, from: final.payload, endpoint: "restore of \(stream)")
    }
}
