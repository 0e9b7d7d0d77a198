import Synchronization
import NATSCore
import NIOCore

extension NATSClient {
    /// Bytes queued or in flight above which publishers wait for the socket.
    static let highWatermark = 4 << 20
    static let lowWatermark = 1 << 20

    /// Publishes a message. Returns once it is queued for the socket (or held while reconnecting);
    /// waits when the socket is far behind. Use `flush()` to know the server has it.
    public func publish(_ payload: ByteBuffer, to subject: String, replyTo: String? = nil, headers: NATSHeaders? = nil) async throws(NATSError) {
        try NATSSubject.validate(subject, wildcards: false)
        if let replyTo { try NATSSubject.validate(replyTo, wildcards: false) }
        if let headers { try headers.validate() }
        let mustWait = try state.withLock { state throws(NATSError) -> Bool in
            try enqueuePublish(&state, payload: payload, subject: subject, replyTo: replyTo, headers: headers)
        }
        if mustWait { await waitForSocket() }
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
        guard state.isUsable else {
            if case .draining = state.phase { throw NATSError(.draining, "the client is draining; no new messages") }
            throw NATSError(.connectionClosed, "the client is closed")
        }
        if headers != nil, state.info?.headers == false {
            throw NATSError(.headersNotSupported, "the server does not support headers")
        }
        if let maxPayload = state.info?.maxPayload, payload.readableBytes > maxPayload {
            throw NATSError(.maxPayloadExceeded, "payload of \(payload.readableBytes) bytes exceeds the server's max_payload of \(maxPayload)")
        }
        let before = state.outbound.readableBytes
        state.outbound.writePublish(subject: subject, replyTo: replyTo, headers: headers, payload: payload)
        switch state.phase {
        case .connected(let channel, _):
            state.statistics.outMessages += 1
            state.statistics.outBytes += payload.readableBytes
            scheduleWrite(&state, channel: channel)
            return state.outbound.readableBytes + state.bytesInFlight > Self.highWatermark
        default:
            if state.outbound.readableBytes > options.reconnectBufferSize {
                state.outbound.moveWriterIndex(to: state.outbound.readerIndex + before)
                throw NATSError(.reconnectBufferFull, "the \(options.reconnectBufferSize)-byte buffer for publishes while disconnected is full")
            }
            state.statistics.outMessages += 1
            state.statistics.outBytes += payload.readableBytes
            return false
        }
    }

    /// Queues raw protocol bytes (SUB, UNSUB, PING) behind earlier publishes.
    func enqueueProtocol(_ state: inout ClientState, _ write: (inout ByteBuffer) -> Void) {
        write(&state.outbound)
        if case .connected(let channel, _) = state.phase { scheduleWrite(&state, channel: channel) }
        if case .draining(let channel, _) = state.phase { scheduleWrite(&state, channel: channel) }
    }

    /// Arranges one write of the outbound buffer on the channel's event loop.
    func scheduleWrite(_ state: inout ClientState, channel: any Channel) {
        guard !state.writeScheduled else { return }
        state.writeScheduled = true
        channel.eventLoop.execute { self.writeOutbound(channel) }
    }

    /// Runs on the event loop: hands everything queued to the channel in one write.
    private func writeOutbound(_ channel: any Channel) {
        let bytes = state.withLock { state -> ByteBuffer? in
            state.writeScheduled = false
            guard let current = state.phase.channel, current === channel, state.outbound.readableBytes > 0 else { return nil }
            let bytes = state.outbound
            state.outbound = channel.allocator.buffer(capacity: min(max(bytes.readableBytes, 4096), 1 << 20))
            state.bytesInFlight += bytes.readableBytes
            return bytes
        }
        guard let bytes else { return }
        let count = bytes.readableBytes
        channel.writeAndFlush(bytes).whenComplete { _ in self.writeCompleted(count) }
    }

    private func writeCompleted(_ count: Int) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.bytesInFlight = max(0, state.bytesInFlight - count)
            guard state.outbound.readableBytes + state.bytesInFlight <= Self.lowWatermark || state.phase.channel == nil else { return [] }
            defer { state.writeWaiters.removeAll() }
            return state.writeWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func waitForSocket() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.outbound.readableBytes + state.bytesInFlight <= Self.lowWatermark || state.phase.channel == nil { return true }
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
                    switch state.phase {
                    case .connected, .draining:
                        state.pongWaiters.append(.flush(continuation))
                        enqueueProtocol(&state) { $0.writePing() }
                        return true
                    default:
                        return false
                    }
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
