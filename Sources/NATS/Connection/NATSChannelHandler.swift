import NATSCore
import NIOCore
import NIOSSL
import NIOTLS

/// The client's end of one TCP connection: decodes server operations, runs the handshake and the keepalive,
/// and hands messages to subscriptions in batches (one batch per read).
///
/// Lives on its event loop; not `Sendable`.
final class NATSChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let client: NATSClient
    private let url: ServerURL
    private let handshakePromise: EventLoopPromise<ServerInfo>
    private let tlsContext: NIOSSLContext?
    private var handshake: HandshakeStateMachine
    private var ping: PingStateMachine
    private let pingInterval: TimeAmount
    private var pingTask: RepeatedTask?
    private var parser: NATSProtocolParser
    private var cumulation: ByteBuffer?
    private var closeError: NATSError?

    // The batch of messages for one subscription, handed over at the end of each read.
    private var sinks: [UInt64: SubscriptionSink] = [:]
    private var batchSink: SubscriptionSink?
    private var batch: [NATSMessage] = []

    init(client: NATSClient, url: ServerURL, handshakePromise: EventLoopPromise<ServerInfo>, tlsContext: NIOSSLContext?) {
        self.client = client
        self.url = url
        self.handshakePromise = handshakePromise
        self.tlsContext = tlsContext
        self.handshake = HandshakeStateMachine(clientRequiresTLS: url.tls || client.options.tls != nil)
        self.ping = PingStateMachine(maxOutstanding: client.options.maxPingsOutstanding)
        self.pingInterval = .nanoseconds(Int64(client.options.pingInterval * 1e9))
        self.parser = NATSProtocolParser()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        sinks = client.currentSinks()
        do {
            if let partial = cumulation {
                cumulation = nil
                guard let rest = try completeStraddlingFrame(partial, &incoming, context: context) else { return }
                incoming = rest
            }
            cumulation = incoming
            parsing: while var buffer = cumulation, buffer.readableBytes > 0 {
                cumulation = nil  // keep the buffer uniquely referenced while parsing
                let step = try parser.next(from: &buffer) { message in deliver(message) }
                cumulation = buffer
                switch step {
                case .incomplete: break parsing
                case .delivered: continue
                case .operation(let op): handle(op, context: context)
                }
            }
            if cumulation?.readableBytes == 0 { cumulation = nil }
        } catch {
            closeError = error
            context.close(promise: nil)
        }
    }

    /// Bytes of a new read first copied behind the start of a frame that the previous read cut off; quadrupled
    /// until the frame is complete.
    static let straddleBytes = 512

    /// Parses the frame that the previous read cut off (`partial`) with the start of this read, copying only as much
    /// of the read as that frame needs: appending the whole read to the old buffer would copy every byte received,
    /// and copy the old buffer too while messages still reference it. Returns the rest of the read to parse, or `nil`
    /// when everything received is now in `cumulation`.
    private func completeStraddlingFrame(
        _ partial: ByteBuffer,
        _ incoming: inout ByteBuffer,
        context: ChannelHandlerContext
    ) throws(NATSError) -> ByteBuffer? {
        let carried = partial.readableBytes
        var head = min(incoming.readableBytes, Self.straddleBytes)
        while true {
            var joined = context.channel.allocator.buffer(capacity: carried + head)
            joined.writeImmutableBuffer(partial)
            joined.writeImmutableBuffer(incoming.getSlice(at: incoming.readerIndex, length: head)!)
            let before = joined.readableBytes
            let step = try parser.next(from: &joined) { message in deliver(message) }
            if case .operation(let op) = step { handle(op, context: context) }
            if joined.readableBytes < before {
                // The cut-off frame is complete (frames are never shorter than the bytes carried over).
                incoming.moveReaderIndex(forwardBy: before - joined.readableBytes - carried)
                return incoming
            }
            if head == incoming.readableBytes {
                cumulation = joined
                return nil
            }
            head = min(head * 4, incoming.readableBytes)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushBatch()
        context.fireChannelReadComplete()
    }

    /// Adds a message to the batch of its subscription.
    private func deliver(_ message: consuming NATSMessage) {
        if batchSink?.sid != message.sid {
            flushBatch()
            batchSink = sinks[message.sid]
        }
        if batchSink != nil { batch.append(message) }
    }

    private func handle(_ op: ServerOp, context: ChannelHandlerContext) {
        switch op {
        case .message(let message):
            deliver(message)
        case .ping:
            var buffer = context.channel.allocator.buffer(capacity: 6)
            buffer.writePong()
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        case .pong:
            ping.pongReceived()
            if case .established = handshake.state {
                client.pongReceived()
            } else {
                perform(handshake.pongReceived(), context: context)
            }
        case .info(let info):
            if case .established = handshake.state {
                client.infoReceived(info, from: url)
            } else {
                // `ServerInfo` checked max_payload's range (at most 1 GiB), so this cannot overflow.
                parser.maxPayload = max(info.maxPayload + 4096, 1 << 20)
                perform(handshake.infoReceived(info), context: context)
            }
        case .ok:
            break
        case .error(let text):
            let error = NATSError.fromServer(text)
            if case .established = handshake.state {
                if error.closesConnection { closeError = error }
                client.serverErrorReceived(error)
            } else {
                perform(handshake.errorReceived(error), context: context)
            }
        }
    }

    private func flushBatch() {
        guard let sink = batchSink, !batch.isEmpty else { return }
        let count = batch.count
        sink.append(contentsOf: &batch)
        batch.reserveCapacity(count)  // the sink may have kept the array: room for a batch like this one
    }

    private func perform(_ action: HandshakeStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .wait:
            break
        case .startTLS:
            guard let tlsContext else {
                perform(.fail(NATSError(.tlsRequired, "the server requires TLS; use a tls:// URL or --tls-ca")), context: context)
                return
            }
            do {
                let hostname = url.host.first?.isNumber == true || url.host.contains(":") ? nil : url.host
                let tls = try NIOSSLClientHandler(context: tlsContext, serverHostname: hostname)
                try context.pipeline.syncOperations.addHandler(tls, position: .first)
            } catch {
                let reason = ConnectionFailure.tlsReason(error, url: url, options: client.options.tls)
                perform(.fail(NATSError(.tlsFailed, "could not start TLS with \(url): \(reason)", underlying: error)), context: context)
            }
        case .sendConnect(let info):
            do {
                let request = try client.makeConnectRequest(for: info, url: url)
                var buffer = context.channel.allocator.buffer(capacity: 256)
                buffer.writeConnect(request)
                buffer.writePing()
                context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            } catch {
                perform(.fail(error), context: context)
            }
        case .succeed(let info):
            ping.connectionEstablished()
            startPingTimer(context: context)
            handshakePromise.succeed(info)
        case .fail(let error):
            closeError = error
            handshakePromise.fail(error)
            context.close(promise: nil)
        }
    }

    private func startPingTimer(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        pingTask = context.eventLoop.scheduleRepeatedTask(initialDelay: pingInterval, delay: pingInterval) { _ in
            let (handler, context) = loopBound.value
            switch handler.ping.timerFired() {
            case .sendPing:
                handler.client.sendKeepalivePing()
            case .closeConnection(let error):
                handler.closeError = error
                context.close(promise: nil)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            perform(handshake.tlsEstablished(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if closeError == nil {
            if let error = error as? NATSError {
                closeError = error
            } else if error is NIOSSLError || error is BoringSSLError {
                let reason = ConnectionFailure.tlsReason(error, url: url, options: client.options.tls)
                closeError = NATSError(.tlsFailed, "TLS with \(url) failed: \(reason)", underlying: error)
            } else {
                closeError = NATSError(.connectionClosed, "the connection to \(url) failed: \(ConnectionFailure.reason(error))", underlying: error)
            }
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        pingTask?.cancel()
        flushBatch()
        let error = closeError ?? NATSError(.connectionClosed, "the connection to \(url) was closed")
        if case .fail = handshake.connectionClosed() { handshakePromise.fail(error) }
        client.channelClosed(context.channel, error: error)
        context.fireChannelInactive()
    }
}
