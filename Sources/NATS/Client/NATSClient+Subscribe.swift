import NATSCore
import NIOCore
import Synchronization

extension NATSClient {
    /// Subscribes to a subject (wildcards allowed), optionally in a queue group, optionally ending after `maxMessages`.
    ///
    /// The subscription is active once this returns; iterate it to receive. Leaving the loop unsubscribes.
    public func subscribe(to subject: String, queue: String? = nil, maxMessages: Int? = nil) async throws(NATSError) -> NATSSubscription {
        try NATSSubject.validate(subject, wildcards: true)
        if let queue { try NATSSubject.validateQueue(queue) }
        if let maxMessages, maxMessages <= 0 { throw NATSError(.invalidConfiguration, "maxMessages must be positive") }
        let sink = try state.withLock { state throws(NATSError) -> SubscriptionSink in
            guard state.isUsable else { throw NATSError(.connectionClosed, "the client is closed or draining") }
            let sid = state.nextSID
            state.nextSID += 1
            let sink = SubscriptionSink(
                sid: sid,
                subject: subject,
                queue: queue,
                messageLimit: options.pendingMessageLimit,
                byteLimit: options.pendingByteLimit,
                maxMessages: maxMessages
            ) { [weak self] subject, dropped in
                self?.emit(.slowConsumer(subject: subject, dropped: dropped))
            }
            state.subscriptions[sid] = sink
            enqueueProtocol(&state) { buffer in
                buffer.writeSubscribe(subject: subject, queue: queue, sid: sid)
                if let maxMessages { buffer.writeUnsubscribe(sid: sid, max: maxMessages) }
            }
            return sink
        }
        return NATSSubscription(sink: sink, client: self)
    }

    /// Removes a subscription; what it already buffered is still delivered.
    func unsubscribe(sid: UInt64) async throws(NATSError) {
        let sink = state.withLock { state -> SubscriptionSink? in
            guard let sink = state.subscriptions.removeValue(forKey: sid) else { return nil }
            if state.isUsable || state.connection.connection != nil {
                enqueueProtocol(&state) { $0.writeUnsubscribe(sid: sid) }
            }
            return sink
        }
        sink?.finish()
    }

    /// For iterators that go away: unsubscribe without waiting.
    func unsubscribeInBackground(sid: UInt64) {
        let sink = state.withLock { state -> SubscriptionSink? in
            guard let sink = state.subscriptions.removeValue(forKey: sid) else { return nil }
            enqueueProtocol(&state) { $0.writeUnsubscribe(sid: sid) }
            return sink
        }
        sink?.finish()
    }

    /// Unsubscribes everything, lets the server deliver what is in flight, then closes.
    /// Subscriptions end after delivering what they buffered.
    public func drain() async throws(NATSError) {
        var waiters: [PongWaiter] = []
        let action = state.withLock { state -> ConnectionStateMachine<any Channel>.DrainAction in
            let action = state.connection.drainRequested()
            switch action {
            case .drain:
                let sids = Array(state.subscriptions.keys).sorted()
                enqueueProtocol(&state) { buffer in
                    for sid in sids { buffer.writeUnsubscribe(sid: sid) }
                }
            case .close:
                waiters = state.takeAllWaiters()
            case .none:
                break
            }
            return action
        }
        switch action {
        case .none:
            return
        case .close:
            // Not connected: nothing can be drained; the machine closed the client, finish as `close()` does.
            await completeClose(nil, waiters: waiters)
        case .drain:
            try? await flush()
            await close()
        }
    }
}
