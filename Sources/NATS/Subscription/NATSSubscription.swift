import NATSCore

/// The messages of one subscription, as an `AsyncSequence`.
///
/// Leaving the `for` loop (or dropping every iterator) unsubscribes; `unsubscribe()` ends the sequence explicitly.
/// When the consumer falls behind its pending limits, messages are dropped, counted in `dropped`, and the client
/// reports a `.slowConsumer` event.
public struct NATSSubscription: AsyncSequence, Sendable {
    public typealias Element = NATSMessage

    let sink: SubscriptionSink
    let client: NATSClient

    public var subject: String { sink.subject }
    public var queue: String? { sink.queue }
    /// Messages dropped because the consumer did not keep up.
    public var dropped: Int { sink.dropped }
    /// Messages handed out so far.
    public var delivered: Int { sink.delivered }

    /// Stops the subscription; messages already buffered are still delivered.
    public func unsubscribe() async throws {
        try await client.unsubscribe(sid: sink.sid)
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(scope: Scope(sink: sink, client: client))
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let scope: Scope
        @usableFromInline var batch: [NATSMessage] = []
        @usableFromInline var index = 0

        init(scope: Scope) {
            self.scope = scope
        }

        @inlinable
        public mutating func next() async -> NATSMessage? {
            await next(isolation: #isolation)
        }

        /// Runs on the caller's executor, and inlined into the caller's loop: the next message of a batch is an
        /// array access, not an async call; only an exhausted batch waits for the next one.
        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)?) async -> NATSMessage? {
            if index < batch.count {
                defer { index += 1 }
                return batch[index]
            }
            return await nextBatch()
        }

        @usableFromInline
        nonisolated(nonsending) mutating func nextBatch() async -> NATSMessage? {
            batch = await scope.sink.take()
            guard !batch.isEmpty else { return nil }
            index = 1
            return batch[0]
        }
    }

    /// Unsubscribes when the last iterator goes away.
    final class Scope: Sendable {
        let sink: SubscriptionSink
        let client: NATSClient

        init(sink: SubscriptionSink, client: NATSClient) {
            self.sink = sink
            self.client = client
        }

        deinit {
            if !sink.isFinished { client.unsubscribeInBackground(sid: sink.sid) }
        }
    }
}
