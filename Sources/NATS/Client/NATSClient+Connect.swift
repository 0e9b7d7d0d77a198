import NATSCore
import NIOCore
import NIOPosix
import Synchronization

extension NATSClient {
    /// Connects to the first server that accepts, trying each once in order.
    ///
    /// Throws the last server's error, which says what was wrong (refused, authorization, TLS, …). A client whose
    /// `connect()` failed can call it again (a service started before its NATS server retries this way); one that
    /// is connected, or was closed, cannot.
    public func connect() async throws(NATSError) {
        let servers = state.withLock { state -> Result<[ServerURL], NATSError> in
            switch state.phase {
            case .idle:
                state.phase = .connecting
                return .success(state.reconnect.servers)
            case .closed:
                return .failure(NATSError(.connectionClosed, "the client was closed"))
            case .connecting:
                return .failure(NATSError(.invalidConfiguration, "connect() is already running on this client"))
            case .connected, .reconnecting, .draining:
                return .failure(NATSError(.invalidConfiguration, "the client is already connected"))
            }
        }
        var lastError = NATSError(.noServers, "no server URL given")
        for url in try servers.get() {
            do throws(NATSError) {
                let (channel, info) = try await establish(url)
                guard didConnect(channel, info: info, url: url, reconnected: false) else {
                    throw NATSError(.connectionClosed, "the client was closed while connecting")
                }
                return
            } catch {
                lastError = error
                if state.withLock({ if case .closed = $0.phase { true } else { false } }) { break }
            }
        }
        // Back to idle, so the caller may try again; a `close()` meanwhile keeps it closed.
        state.withLock { state in
            if case .connecting = state.phase { state.phase = .idle }
        }
        throw lastError
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

    /// Makes a fresh connection the current one: resubscribe, then send what was held while disconnected.
    /// - Returns: `false` when the client was closed meanwhile (the channel is closed then).
    @discardableResult
    func didConnect(_ channel: any Channel, info: ServerInfo, url: ServerURL, reconnected: Bool) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard state.isUsable else { return false }
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
            state.phase = .connected(channel, url)
            state.reconnect.connected(to: url)
            state.reconnect.serversDiscovered(info.connectURLs ?? [], tls: url.tls)
            state.bytesInFlight = 0
            if reconnected { state.statistics.reconnects += 1 }
            scheduleWrite(&state, channel: channel)
            return true
        }
        guard accepted else {
            channel.close(promise: nil)
            return false
        }
        emit(reconnected ? .reconnected(url) : .connected(url))
        return true
    }

    /// The channel closed: if it was the current one, start reconnecting.
    func channelClosed(_ channel: any Channel, error: NATSError) {
        enum Next {
            case ignore
            case reconnect(ServerURL)
            case close(ServerURL)
        }
        var waiters: [PongWaiter] = []
        var writeWaiters: [CheckedContinuation<Void, Never>] = []
        let next = state.withLock { state -> Next in
            switch state.phase {
            case .connected(let current, let url) where current === channel:
                waiters = state.takeAllWaiters()
                writeWaiters = state.writeWaiters
                state.writeWaiters.removeAll()
                state.bytesInFlight = 0
                state.writeScheduled = false
                state.coalescing = false
                state.closeWrites = 0
                guard options.allowReconnect else {
                    state.phase = .closed
                    return .close(url)
                }
                state.phase = .reconnecting
                return .reconnect(url)
            case .draining(let current, let url) where current === channel:
                waiters = state.takeAllWaiters()
                state.phase = .closed
                return .close(url)
            default:
                return .ignore
            }
        }
        fail(waiters, NATSError(.connectionClosed, "the connection was lost before the server answered"))
        for waiter in writeWaiters { waiter.resume() }
        switch next {
        case .ignore:
            return
        case .close(let url):
            emit(.disconnected(url, reason: error.description))
            finishEverything()
            emit(.closed)
            finishEvents()
        case .reconnect(let url):
            emit(.disconnected(url, reason: error.description))
            Task { await self.reconnect() }
        }
    }

    private func reconnect() async {
        var action = state.withLock { $0.reconnect.connectionLost(jitter: Double.random(in: 0..<1)) }
        while true {
            switch action {
            case .giveUp(let error):
                state.withLock { $0.phase = .closed }
                emit(.disconnected(ServerURL(host: "-"), reason: error.description))
                finishEverything()
                emit(.closed)
                finishEvents()
                return
            case .connect(let url, let wait):
                if wait > 0 { try? await Task.sleep(for: .seconds(wait)) }
                guard state.withLock({ if case .reconnecting = $0.phase { true } else { false } }) else { return }
                do {
                    let (channel, info) = try await establish(url)
                    didConnect(channel, info: info, url: url, reconnected: true)
                    return
                } catch {
                    action = state.withLock { $0.reconnect.attemptFailed(url, jitter: Double.random(in: 0..<1)) }
                }
            }
        }
    }

    /// An asynchronous `INFO`: new cluster members, or lame-duck mode.
    func infoReceived(_ info: ServerInfo, from url: ServerURL) {
        let discovered = state.withLock { state -> [String] in
            let before = Set(state.reconnect.servers.map { "\($0.host):\($0.port)" })
            state.info = info
            state.reconnect.serversDiscovered(info.connectURLs ?? [], tls: url.tls)
            return state.reconnect.servers.map { "\($0.host):\($0.port)" }.filter { !before.contains($0) }
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
