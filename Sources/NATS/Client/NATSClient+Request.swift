import NATSCore
import NIOCore
import Synchronization

extension NATSClient {
    /// Sends a request and waits for the first reply.
    ///
    /// Replies come through one shared inbox subscription. Throws `.noResponders` when nobody listens on the
    /// subject (the server answers with status 503) and `.timeout` when no reply comes in time.
    public func request(
        _ payload: ByteBuffer,
        to subject: String,
        headers: NATSHeaders? = nil,
        timeout: Double = 2
    ) async throws(NATSError) -> NATSMessage {
        let inbox = try await requestInbox()
        let token = state.withLock { state in
            state.nextRequestID += 1
            return String(state.nextRequestID)
        }
        let cancelled = NATSError(.cancelled, "the request on \(subject) was cancelled")
        do {
            let reply = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<NATSMessage, any Error>) in
                    register(
                        continuation,
                        token: token,
                        payload: payload,
                        subject: subject,
                        replyTo: inbox + token,
                        headers: headers,
                        timeout: timeout
                    )
                    // A cancellation before the registration found nothing to fail: fail it now.
                    if Task.isCancelled { completeRequest(token, with: .failure(cancelled)) }
                }
            } onCancel: {
                completeRequest(token, with: .failure(cancelled))
            }
            if reply.status == 503 && reply.payload.readableBytes == 0 {
                throw NATSError(.noResponders, "no service is listening on \(subject)")
            }
            return reply
        } catch let error as NATSError {
            throw error
        } catch {
            throw NATSError(.connectionClosed, "\(error)", underlying: error)
        }
    }

    /// Registers a pending request with its timeout and sends it; a failure to send fails the continuation.
    private func register(
        _ continuation: CheckedContinuation<NATSMessage, any Error>,
        token: String,
        payload: ByteBuffer,
        subject: String,
        replyTo: String,
        headers: NATSHeaders?,
        timeout: Double
    ) {
        do {
            try state.withLock { state throws(NATSError) in
                let eventLoop = group.next()
                let scheduled = eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout * 1e9))) {
                    self.completeRequest(token, with: .failure(NATSError(.timeout, "no reply on \(subject) within \(timeout)s")))
                }
                state.requests[token] = ClientState.PendingRequest(continuation: continuation, timeout: scheduled)
                do throws(NATSError) {
                    _ = try enqueuePublish(&state, payload: payload, subject: subject, replyTo: replyTo, headers: headers)
                } catch {
                    state.requests[token] = nil
                    scheduled.cancel()
                    throw error
                }
            }
        } catch {
            continuation.resume(throwing: error)
        }
    }

    /// Sends a string request.
    public func request(_ string: String, to subject: String, headers: NATSHeaders? = nil, timeout: Double = 2) async throws(NATSError) -> NATSMessage
    {
        try await request(ByteBuffer(string: string), to: subject, headers: headers, timeout: timeout)
    }

    private func completeRequest(_ token: String, with result: Result<NATSMessage, NATSError>) {
        let pending = state.withLock { $0.requests.removeValue(forKey: token) }
        guard let pending else { return }
        pending.timeout?.cancel()
        pending.continuation.resume(with: result.mapError { $0 as any Error })
    }

    /// The shared reply prefix (`_INBOX.<nuid>.`), subscribing to it on first use.
    private func requestInbox() async throws(NATSError) -> String {
        if let inbox = state.withLock({ $0.requestInbox }) { return inbox }
        let prefix = "\(options.inboxPrefix).\(NUID.next())."
        let subscription = try await subscribe(to: prefix + "*")
        let (winner, isNew) = state.withLock { state -> (String, Bool) in
            if let existing = state.requestInbox { return (existing, false) }
            state.requestInbox = prefix
            return (prefix, true)
        }
        if !isNew {
            try? await subscription.unsubscribe()
            return winner
        }
        // Replies are dispatched by a job of the client's work loop, which ends with the subscription (on close).
        schedule(
            .job {
                for await message in subscription {
                    let token = message.subject.utf8.count > prefix.utf8.count ? String(message.subject.dropFirst(prefix.count)) : ""
                    self.completeRequest(token, with: .success(message))
                }
            }
        )
        return prefix
    }
}
