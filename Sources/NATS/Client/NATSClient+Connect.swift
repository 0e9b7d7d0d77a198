import NATSCore
import NIOCore
import NIOPosix
import Synchronization

extension NATSClient {
    /// Connects to the first server that accepts, trying each once in order.
    ///
    /// Throws the last server's error, which says what was wrong (refused, authorization, TLS, …). A client whose
    /// `connect()` failed can call it again (a service started before its NATS server retries this way); one that
    /// is connected, or was closed, cannot. Unless the application runs ``run()`` (as a `Service`, say), the first
    /// call starts the client's work loop in a task the client owns; it ends when the client closes.
    public func connect() async throws(NATSError) {
        startWorkLoopIfNeeded()
        let first = state.withLock { $0.connection.connectRequested() }
        switch await followAttempts(from: first) {
        case nil:
            return
        case .failConnect(let error)?, .giveUp(let error)?:
            throw error
        case .connect?, .none?:
            throw NATSError(.connectionClosed, "the client was closed")
        }
    }

    /// Follows the connection state machine's attempts, for the first connection and for reconnects alike: waits
    /// what each asks, opens the connection and activates it, or reports the failure and takes the next attempt.
    /// - Returns: `nil` once a connection is active; otherwise the action that ended the attempts (`failConnect`,
    ///   `giveUp`, or `none` when the client was closed or the task cancelled).
    func followAttempts(from first: ConnectionStateMachine<any Channel>.AttemptAction) async -> ConnectionStateMachine<any Channel>.AttemptAction? {
        var action = first
        while case .connect(let url, let wait) = action {
            if wait > 0 {
                do {
                    try await Task.sleep(for: .seconds(wait))
                } catch {
                    return ConnectionStateMachine.AttemptAction.none
                }
            }
            // Closed while waiting: no connection just to discard it.
            if state.withLock({ $0.connection.isClosed }) { return ConnectionStateMachine.AttemptAction.none }
            do {
                let (channel, info) = try await establish(url)
                return activate(channel, info: info, url: url) == nil ? nil : ConnectionStateMachine.AttemptAction.none
            } catch {
                action = state.withLock { $0.connection.connectionAttemptFailed(url, error: error, jitter: Double.random(in: 0..<1)) }
            }
        }
        return action
    }

    /// Opens a TCP connection and runs the handshake; returns when the server answered `CONNECT` with `PONG`.
    func establish(_ url: ServerURL) async throws(NATSError) -> (any Channel, ServerInfo) {
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: ServerInfo.self)
        let tlsContext = self.tlsContext
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(Int64(options.connectTimeout * 1e9)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 4096, initial: 65536, maximum: 1 << 20))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = NATSChannelHandler(client: self, url: url, handshakePromise: promise, tlsContext: tlsContext)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: url.host, port: url.port).get()
        } catch {
            promise.fail(error)
            throw NATSError(.connectionFailed, "cannot connect to \(url): \(ConnectionFailure.reason(error))", underlying: error)
        }
        let timeout = eventLoop.scheduleTask(in: .nanoseconds(Int64(options.connectTimeout * 1e9))) {
            promise.fail(NATSError(.timeout, "\(url) did not complete the handshake in \(self.options.connectTimeout)s"))
        }
        do {
            let info = try await promise.futureResult.get()
            timeout.cancel()
            return (channel, info)
        } catch {
            timeout.cancel()
            try? await channel.close()
            if let error = error as? NATSError { throw error }
            throw NATSError(.connectionFailed, "handshake with \(url) failed: \(error)", underlying: error)
        }
    }

    /// A connection completed its handshake: make it the current one (resubscribe, then send what was held while
    /// disconnected), or close it when the client was closed meanwhile.
    /// - Returns: the error to report when the connection was discarded.
    func activate(_ channel: any Channel, info: ServerInfo, url: ServerURL) -> NATSError? {
        let action = state.withLock { state -> ConnectionStateMachine<any Channel>.EstablishedAction in
            let action = state.connection.connectionEstablished(channel, id: ObjectIdentifier(channel), url: url, announced: info.connectURLs ?? [])
            guard case .activate(let reconnected) = action else { return action }
            var subscribing = channel.allocator.buffer(capacity: 256)
            for (sid, sink) in state.subscriptions.sorted(by: { $0.key < $1.key }) {
                subscribing.writeSubscribe(subject: sink.subject, queue: sink.queue, sid: sid)
                if let maxMessages = sink.maxMessages {
                    subscribing.writeUnsubscribe(sid: sid, max: max(maxMessages - sink.received, 1))
                }
            }
            var opening = OutboundBuffer(capacity: subscribing.readableBytes + state.outbound.count)
            opening.write(subscribing)
            opening.write(state.outbound)
            state.outbound = opening
            state.info = info
            state.bytesInFlight = 0
            if reconnected { state.statistics.reconnects += 1 }
            scheduleWrite(&state, channel: channel)
            return action
        }
        switch action {
        case .activate(let reconnected):
            emit(reconnected ? .reconnected(url) : .connected(url))
            return nil
        case .discard(let error):
            channel.close(promise: nil)
            return error
        }
    }

    /// A channel closed: if it was the current one, reconnect (through the work loop) or finish as closed.
    func channelClosed(_ channel: any Channel, error: NATSError) {
        var waiters: [PongWaiter] = []
        var writeWaiters: [CheckedContinuation<Void, Never>] = []
        let action = state.withLock { state -> ConnectionStateMachine<any Channel>.ClosedAction in
            let action = state.connection.connectionClosed(ObjectIdentifier(channel), jitter: Double.random(in: 0..<1))
            if case .ignore = action { return action }
            waiters = state.takeAllWaiters()
            writeWaiters = state.writeWaiters
            state.writeWaiters.removeAll()
            state.bytesInFlight = 0
            state.writeScheduled = false
            state.coalescing = false
            state.closeWrites = 0
            return action
        }
        fail(waiters, NATSError(.connectionClosed, "the connection was lost before the server answered"))
        for waiter in writeWaiters { waiter.resume() }
        switch action {
        case .ignore:
            return
        case .close(let url):
            emit(.disconnected(url, reason: error.description))
            finishClosed()
        case .reconnect(let url, let attempt):
            emit(.disconnected(url, reason: error.description))
            schedule(.reconnect(attempt))
        }
    }

    /// An asynchronous `INFO`: new cluster members, or lame-duck mode.
    func infoReceived(_ info: ServerInfo, from url: ServerURL) {
        let discovered = state.withLock { state -> [String] in
            let before = Set(state.connection.reconnect.servers.map { "\($0.host):\($0.port)" })
            state.info = info
            state.connection.serversAnnounced(info.connectURLs ?? [], tls: url.tls)
            return state.connection.reconnect.servers.map { "\($0.host):\($0.port)" }.filter { !before.contains($0) }
        }
        if !discovered.isEmpty { emit(.serversDiscovered(discovered)) }
        if info.lameDuckMode == true { emit(.lameDuckMode(url)) }
    }

    func serverErrorReceived(_ error: NATSError) {
        emit(.serverError(error.description))
    }

    /// The subscriptions the channel handler delivers to (a copy-on-write snapshot).
    func currentSinks() -> [UInt64: SubscriptionSink] {
        state.withLock { $0.subscriptions }
    }

    /// `CONNECT` for this server's `INFO`, with credentials (signing the nonce for NKEY and JWT auth).
    func makeConnectRequest(for info: ServerInfo, url: ServerURL) throws(NATSError) -> ConnectRequest {
        var request = ConnectRequest()
        request.name = options.name
        request.echo = options.echo
        request.headers = info.headers ?? false
        request.noResponders = options.noResponders && request.headers
        request.tlsRequired = url.tls || options.tls != nil
        if let token = url.token {
            request.authToken = token
        } else if let user = url.user {
            request.user = user
            request.pass = url.password
        }
        switch options.auth {
        case .none:
            break
        case .userPassword(let user, let password):
            request.user = user
            request.pass = password
        case .token(let token):
            request.authToken = token
        case .nkey(let seed):
            do {
                let keyPair = try NKeyPair(seed: seed)
                request.nkey = keyPair.publicKey
                request.sig = keyPair.signNonce(info.nonce ?? "")
            } catch {
                throw NATSError(.invalidConfiguration, "the NKEY seed is unusable: \(error)", underlying: error)
            }
        case .credentials(let contents):
            do {
                let credentials = try Credentials(contents: contents)
                request.jwt = credentials.jwt
                request.sig = credentials.keyPair.signNonce(info.nonce ?? "")
            } catch {
                throw NATSError(.invalidConfiguration, "the credentials file is unusable: \(error)", underlying: error)
            }
        }
        return request
    }
}
