import NATSCore
import NIOCore
import Synchronization

extension NATSClient {
    /// Bytes queued or in flight above which publishers wait for the socket.
    static let highWatermark = 512 << 10
    static let lowWatermark = 128 << 10
    /// This many writes in a row, each within `coalescingWindow` of the one before, switch to coalescing writes.
    static let coalescingAfter = 8
    static let coalescingWindow = TimeAmount.milliseconds(1)
    /// While coalescing, how long bytes wait for the next write at most. Each write wakes the event loop; at 250 µs
    /// those wakeups took enough CPU from a nats-server on the same two cores to slow a flat-out publisher.
    static let coalescingDelay = TimeAmount.microseconds(500)
    /// While coalescing, a backlog that is written at once.
    static let coalescingLimit = 256 << 10
    /// How soon the event loop looks again when a publisher holds the lock.
    static let lockRetryDelay = TimeAmount.microseconds(20)

    /// Publishes a message. Returns once it is queued for the socket (or held while reconnecting);
    /// waits when the socket is far behind. Use `flush()` to know the server has it.
    ///
    /// Inlinable over a synchronous enqueue, so a publishing loop pays no async call per message.
    /// `nonisolated(nonsending)`: it runs on the caller's executor, without a task switch per message.
    @inlinable
    nonisolated(nonsending) public func publish(
        _ payload: ByteBuffer,
        to subject: String,
        replyTo: String? = nil,
        headers: NATSHeaders? = nil
    ) async throws(NATSError) {
        if try enqueue(payload, to: subject, replyTo: replyTo, headers: headers) { await waitForSocket() }
    }

    /// Validates and queues one publish; returns whether the publisher should wait for the socket.
    @usableFromInline
    func enqueue(_ payload: ByteBuffer, to subject: String, replyTo: String?, headers: NATSHeaders?) throws(NATSError) -> Bool {
        if let replyTo { try NATSSubject.validate(replyTo, wildcards: false) }
        if let headers { try headers.validate() }
        return try state.withLock { state throws(NATSError) -> Bool in
            // A publishing loop sends to the same subject again and again: comparing it with the last one that passed
            // costs less than checking it (and is a pointer comparison when it is the same string).
            if subject != state.lastValidSubject {
                try NATSSubject.validate(subject, wildcards: false)
                state.lastValidSubject = subject
            }
            return try enqueuePublish(&state, payload: payload, subject: subject, replyTo: replyTo, headers: headers)
        }
    }

    /// Publishes a UTF-8 string.
    public func publish(_ string: String, to subject: String, replyTo: String? = nil, headers: NATSHeaders? = nil) async throws(NATSError) {
        try await publish(ByteBuffer(string: string), to: subject, replyTo: replyTo, headers: headers)
    }

    /// Publishes bytes.
    public func publish(_ bytes: [UInt8], to subject: String, replyTo: String? = nil, headers: NATSHeaders? = nil) async throws(NATSError) {
        try await publish(ByteBuffer(bytes: bytes), to: subject, replyTo: replyTo, headers: headers)
    }

    /// Appends one publish to the outbound buffer; returns whether the publisher should wait for the socket.
    func enqueuePublish(
        _ state: inout ClientState,
        payload: ByteBuffer,
        subject: String,
        replyTo: String?,
        headers: NATSHeaders?
    ) throws(NATSError) -> Bool {
        let outbound = state.connection.outbound
        if let refusal = outbound.refusal { throw refusal }
        if headers != nil, state.serverRejectsHeaders {
            throw NATSError(.headersNotSupported, "the server does not support headers")
        }
        if let maxPayload = state.maxPayload, payload.readableBytes > maxPayload {
            throw NATSError(.maxPayloadExceeded, "payload of \(payload.readableBytes) bytes exceeds the server's max_payload of \(maxPayload)")
        }
        let before = state.outbound.count
        if let headers {
            state.outbound.writePublish(subject: subject, replyTo: replyTo, headers: headers, payload: payload)
        } else {
            state.outbound.writePublish(subject: subject, replyTo: replyTo, payload: payload)
        }
        switch outbound {
        case .write:
            state.statistics.outMessages += 1
            state.statistics.outBytes += payload.readableBytes
            // While coalescing, the event loop's timer writes what accumulates; only a large backlog writes sooner.
            // (The channel is bound only when a write is scheduled: binding it per message costs a retain and a release.)
            if !state.writeScheduled && (!state.coalescing || state.outbound.count >= Self.coalescingLimit),
                let channel = state.connection.connection
            {
                scheduleWrite(&state, channel: channel)
            }
            return state.outbound.count + state.bytesInFlight > Self.highWatermark
        case .hold, .draining, .closed:
            if state.outbound.count > options.reconnectBufferSize {
                state.outbound.truncate(to: before)
                throw NATSError(.reconnectBufferFull, "the \(options.reconnectBufferSize)-byte buffer for publishes while disconnected is full")
            }
            state.statistics.outMessages += 1
            state.statistics.outBytes += payload.readableBytes
            return false
        }
    }

    /// Queues raw protocol bytes (SUB, UNSUB, PING) behind earlier publishes.
    func enqueueProtocol(_ state: inout ClientState, _ write: (inout ByteBuffer) -> Void) {
        var bytes = ByteBuffer()
        write(&bytes)
        state.outbound.write(bytes)
        if state.connection.protocolOutbound == .write, let channel = state.connection.connection { scheduleWrite(&state, channel: channel) }
    }

    /// Arranges one write of the outbound buffer on the channel's event loop.
    func scheduleWrite(_ state: inout ClientState, channel: any Channel) {
        guard !state.writeScheduled else { return }
        state.writeScheduled = true
        channel.eventLoop.execute { self.writeOutbound(channel) }
    }

    /// Runs on the event loop: hands everything queued to the channel in one write.
    ///
    /// Write coalescing: when writes follow each other closely (a publisher in a loop), waking the event loop per
    /// message costs more than the messages (a wakeup, a lock hand-over and a small socket write each). After
    /// `coalescingAfter` close writes in a row the loop stops being woken per publish and writes what accumulated
    /// every `coalescingDelay` instead, until a timer finds nothing to write. `flush()`, subscriptions and sparse
    /// publishes are written at once.
    private func writeOutbound(_ channel: any Channel, fromTimer: Bool = false) {
        // The socket's buffer is allocated before taking the lock; under it the queued bytes are copied over and the
        // outbound buffer is emptied, keeping its memory: publishers write into the same warm bytes again (fresh
        // memory for every write cost more in cache misses and page faults than the copy).
        var bytes = channel.allocator.buffer(capacity: lastWriteSize.load(ordering: .relaxed))
        let now = NIODeadline.now()
        var armTimer = false
        // The timer does not wait for a publisher that holds the lock (that would cost both a sleep and a wakeup):
        // it looks again a little later.
        let lock: (_ body: (inout ClientState) -> Bool) -> Bool? =
            fromTimer ? { body in self.state.withLockIfAvailable(body) } : { body in self.state.withLock(body) }
        let taken = lock { state -> Bool in
            guard let current = state.connection.connection, current === channel else { return false }
            if fromTimer { state.coalescing = false } else { state.writeScheduled = false }
            guard state.outbound.count > 0 else { return false }
            state.outbound.moveAll(to: &bytes)
            state.bytesInFlight += bytes.readableBytes
            state.closeWrites = now - state.lastWrite < Self.coalescingWindow ? state.closeWrites + 1 : 0
            state.lastWrite = now
            if !state.coalescing, state.closeWrites >= Self.coalescingAfter {
                state.coalescing = true
                armTimer = true
            }
            return true
        }
        guard let taken else {
            channel.eventLoop.scheduleTask(in: Self.lockRetryDelay) { self.writeOutbound(channel, fromTimer: true) }
            return
        }
        guard taken else { return }
        if armTimer {
            channel.eventLoop.scheduleTask(in: Self.coalescingDelay) { self.writeOutbound(channel, fromTimer: true) }
        }
        let count = bytes.readableBytes
        lastWriteSize.store(min(max(count, 4096), 1 << 20), ordering: .relaxed)
        channel.writeAndFlush(bytes).whenComplete { _ in self.writeCompleted(count, on: channel.eventLoop) }
    }

    /// Runs on the event loop when a write is done: counts it off and releases publishers waiting for the socket.
    /// Like the coalescing timer, it does not wait for a publisher that holds the lock.
    private func writeCompleted(_ count: Int, on eventLoop: any EventLoop) {
        let taken = state.withLockIfAvailable { state -> [CheckedContinuation<Void, Never>] in
            state.bytesInFlight = max(0, state.bytesInFlight - count)
            guard state.outbound.count + state.bytesInFlight <= Self.lowWatermark || state.connection.connection == nil else { return [] }
            defer { state.writeWaiters.removeAll() }
            return state.writeWaiters
        }
        guard let waiters = taken else {
            eventLoop.scheduleTask(in: Self.lockRetryDelay) { self.writeCompleted(count, on: eventLoop) }
            return
        }
        for waiter in waiters { waiter.resume() }
    }

    @usableFromInline
    func waitForSocket() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.outbound.count + state.bytesInFlight <= Self.lowWatermark || state.connection.connection == nil { return true }
                state.writeWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Waits until the server has processed everything sent so far (a `PING`/`PONG` round trip).
    public func flush() async throws(NATSError) {
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let accepted = state.withLock { state -> Bool in
                    guard state.connection.acceptsFlush else { return false }
                    state.pongWaiters.append(.flush(continuation))
                    enqueueProtocol(&state) { $0.writePing() }
                    return true
                }
                if !accepted { continuation.resume(throwing: NATSError(.connectionClosed, "not connected; nothing can be flushed")) }
            }
        } catch {
            throw error as? NATSError ?? NATSError(.connectionClosed, "\(error)")
        }
    }

    /// Called from the keepalive timer: a `PING` whose `PONG` nobody awaits.
    func sendKeepalivePing() {
        state.withLock { state in
            state.pongWaiters.append(.keepalive)
            enqueueProtocol(&state) { $0.writePing() }
        }
    }

    /// A `PONG` after the handshake answers the oldest `PING`.
    func pongReceived() {
        let waiter = state.withLock { state -> PongWaiter? in
            state.pongWaiters.isEmpty ? nil : state.pongWaiters.removeFirst()
        }
        if case .flush(let continuation) = waiter { continuation.resume() }
    }
}
