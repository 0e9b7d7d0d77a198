import NATSCore
import NIOCore

/// A durable (or named ephemeral) pull consumer: fetch batches, or consume continuously.
public struct PullConsumer: Sendable {
    public let jetStream: JetStream
    public let stream: String
    public let name: String

    /// Fetches up to `batch` messages (and `maxBytes`), waiting at most `expires` seconds;
    /// with `noWait`, returns at once with what is available.
    public func fetch(batch: Int, maxBytes: Int? = nil, expires: Double = 5, noWait: Bool = false) async throws -> [JetStreamMessage] {
        let client = jetStream.client
        let inbox = "\(client.options.inboxPrefix).\(NUID.next())"
        let subscription = try await client.subscribe(to: inbox)
        var body = "{\"batch\":\(batch)"
        if let maxBytes { body += ",\"max_bytes\":\(maxBytes)" }
        if noWait {
            body += ",\"no_wait\":true"
        } else {
            body += ",\"expires\":\(Int64(expires * 1e9))"
        }
        body += "}"
        try await client.publish(body, to: "\(jetStream.apiPrefix).CONSUMER.MSG.NEXT.\(stream).\(name)", replyTo: inbox)
        let timer = Task {
            try? await Task.sleep(for: .seconds(expires + 1))
            try? await subscription.unsubscribe()
        }
        defer { timer.cancel() }
        var messages: [JetStreamMessage] = []
        for await message in subscription {
            if let delivered = JetStreamMessage(message, client: client) {
                messages.append(delivered)
                if messages.count >= batch { break }
                continue
            }
            guard let status = message.status else { continue }
            if status == 100 { continue }
            if status == 409, let description = message.headers?.statusDescription, description.lowercased().contains("consumer deleted") {
                throw JetStreamError(status: 409, errCode: -1, message: "consumer \(name) was deleted")
            }
            break  // 404 no messages, 408 expired, 409 batch completed / max bytes: the fetch is over
        }
        try? await subscription.unsubscribe()
        return messages
    }

    /// Consumes continuously: pull requests of `batch` topped up at half, idle heartbeats, and recovery after
    /// stalls and reconnects. Ends with an error only when the consumer is deleted.
    public func messages(batch: Int = 500, expires: Double = 30, heartbeat: Double = 5) -> Messages {
        Messages(consumer: self, batch: batch, expires: expires, heartbeat: min(heartbeat, expires / 2))
    }

    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = JetStreamMessage
        let consumer: PullConsumer
        let batch: Int
        let expires: Double
        let heartbeat: Double

        public func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(
                engine: PullEngine(
                    jetStream: consumer.jetStream,
                    stream: consumer.stream,
                    mode: .durable(name: consumer.name),
                    batch: batch,
                    expires: expires,
                    heartbeat: heartbeat
                )
            )
        }

        public struct AsyncIterator: AsyncIteratorProtocol {
            let engine: PullEngine

            public mutating func next() async throws -> JetStreamMessage? {
                try await engine.next()
            }

            /// How many times consumption was reset after a stall or reconnect.
            public var resets: Int { engine.resets }
        }
    }
}

extension JetStream {
    /// A handle on an existing pull consumer.
    public func pullConsumer(stream: String, name: String) -> PullConsumer {
        PullConsumer(jetStream: self, stream: stream, name: name)
    }
}
