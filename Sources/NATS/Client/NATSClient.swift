import Foundation
import NATSCore
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A NATS client on SwiftNIO: publish, subscribe, request/reply, with keepalive, reconnect and resubscribe.
///
/// ```swift
/// let client = NATSClient(options: try NATSOptions(urls: ["nats://127.0.0.1:4222"]))
/// try await client.connect()
/// for await message in try await client.subscribe(to: "cim.>") { … }
/// ```
///
/// All mutable state sits in one `Mutex`; the channel handler runs on its event loop and calls in.
public final class NATSClient: Sendable {
    public let options: NATSOptions
    let group: any EventLoopGroup
    let state: StateLock<ClientState>
    let tlsContext: NIOSSLContext?
    let listeners = Mutex(EventListeners())
    /// The size of the last socket write, to size the next outbound buffer (an atomic: read off the lock).
    let lastWriteSize = Atomic<Int>(4096)
    /// Background work for the work loop (`run()`).
    let workQueue = WorkQueue()

    /// Creates a client; nothing connects until `connect()`.
    public init(options: NATSOptions, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(NATSError) {
        self.options = options
        self.group = eventLoopGroup
        self.tlsContext = try Self.makeTLSContext(options)
        self.state = StateLock(ClientState(options: options))
    }

    /// A new stream of connection events from now on, in order: connected, disconnected, reconnected, slow consumer, ….
    /// Each access gives its own stream; it ends when the client closes.
    public var events: AsyncStream<ConnectionEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ConnectionEvent.self, bufferingPolicy: .bufferingNewest(1024))
        let closed = listeners.withLock { listeners -> Bool in
            guard !listeners.finished else { return true }
            let id = listeners.nextID
            listeners.nextID += 1
            listeners.continuations[id] = continuation
            continuation.onTermination = { [weak self] _ in
                _ = self?.listeners.withLock { $0.continuations.removeValue(forKey: id) }
            }
            return false
        }
        if closed { continuation.finish() }
        return stream
    }

    /// Tells every listener.
    func emit(_ event: ConnectionEvent) {
        let continuations = listeners.withLock { Array($0.continuations.values) }
        for continuation in continuations { continuation.yield(event) }
    }

    /// Ends every listener's stream.
    func finishEvents() {
        let continuations = listeners.withLock { listeners in
            listeners.finished = true
            defer { listeners.continuations.removeAll() }
            return Array(listeners.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }

    /// The `INFO` of the server we are connected to.
    public var serverInfo: ServerInfo? { state.withLock { $0.info } }

    /// The server we are connected to, if connected.
    public var connectedServer: ServerURL? { state.withLock { $0.connection.connectedServer } }

    public var isConnected: Bool { connectedServer != nil }

    /// Not closed and not draining.
    var isUsable: Bool { state.withLock { $0.isUsable } }

    /// Counters of this client's traffic and reconnects.
    public var statistics: NATSStatistics { state.withLock { $0.statistics } }

    /// Closes the connection at once; buffered publishes are lost. Prefer `drain()` to finish in-flight work.
    public func close() async {
        var waiters: [PongWaiter] = []
        let action = state.withLock { state in
            waiters = state.takeAllWaiters()
            return state.connection.closeRequested()
        }
        guard case .close(let channel) = action else {
            fail(waiters, NATSError(.connectionClosed, "the client was closed"))
            return
        }
        await completeClose(channel, waiters: waiters)
    }

    /// After the machine closed: fails the flush waiters, finishes everything, and closes the channel if any.
    func completeClose(_ channel: (any Channel)?, waiters: [PongWaiter]) async {
        fail(waiters, NATSError(.connectionClosed, "the client was closed"))
        finishClosed()
        try? await channel?.close()
    }

    /// The client is closed: subscriptions and requests end, listeners hear `closed`, the work loop stops.
    func finishClosed() {
        finishEverything()
        emit(.closed)
        finishEvents()
        workQueue.continuation.finish()
    }

    func finishEverything() {
        let (sinks, requests) = state.withLock { state in
            let sinks = Array(state.subscriptions.values)
            state.subscriptions.removeAll()
            let requests = state.requests
            state.requests.removeAll()
            return (sinks, requests)
        }
        for sink in sinks { sink.finish() }
        for (_, request) in requests {
            request.timeout?.cancel()
            request.continuation.resume(throwing: NATSError(.connectionClosed, "the client was closed before a reply came"))
        }
    }

    func fail(_ waiters: [PongWaiter], _ error: NATSError) {
        for waiter in waiters {
            if case .flush(let continuation) = waiter { continuation.resume(throwing: error) }
        }
    }

    private static func makeTLSContext(_ options: NATSOptions) throws(NATSError) -> NIOSSLContext? {
        guard options.tls != nil || options.servers.contains(where: \.tls) else { return nil }
        let tls = options.tls ?? NATSTLSOptions()
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = tls.caFile {
            configuration.trustRoots = .certificates(try load("the CA file (--tls-ca)", caFile) { try NIOSSLCertificate.fromPEMFile($0) })
        }
        if let certificateFile = tls.certificateFile {
            let chain = try load("the client certificate (--tls-cert)", certificateFile) { try NIOSSLCertificate.fromPEMFile($0) }
            configuration.certificateChain = chain.map { .certificate($0) }
            guard let keyFile = tls.keyFile else {
                throw NATSError(.invalidConfiguration, "a client certificate needs its key: give --tls-key")
            }
            let key = try load("the client key (--tls-key)", keyFile) { try NIOSSLPrivateKey(file: $0, format: .pem) }
            configuration.privateKey = .privateKey(key)
        }
        if tls.insecureSkipVerify { configuration.certificateVerification = .none }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            if case .failedToLoadPrivateKey = error as? NIOSSLError, let key = tls.keyFile, let certificate = tls.certificateFile {
                throw NATSError(.invalidConfiguration, "the key in \(key) does not match the certificate in \(certificate) (--tls-key, --tls-cert)")
            }
            throw NATSError(.invalidConfiguration, "cannot set up TLS: \(ConnectionFailure.tlsErrorCodes("\(error)").first ?? "\(type(of: error))")")
        }
    }

    /// Loads one TLS file; the error names the file and the flag, never BoringSSL's internals.
    private static func load<T>(_ what: String, _ path: String, _ body: (String) throws -> T) throws(NATSError) -> T {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw NATSError(.invalidConfiguration, "cannot read \(what) \(path): no such file, or not readable")
        }
        do {
            let value = try body(path)
            if let array = value as? [NIOSSLCertificate], array.isEmpty {
                throw NATSError(.invalidConfiguration, "\(what) \(path) holds no PEM certificate")
            }
            return value
        } catch let error as NATSError {
            throw error
        } catch {
            throw NATSError(.invalidConfiguration, "\(what) \(path) is not a usable PEM file")
        }
    }
}

struct EventListeners {
    var continuations: [Int: AsyncStream<ConnectionEvent>.Continuation] = [:]
    var nextID = 0
    var finished = false
}

/// Traffic counters of one client.
public struct NATSStatistics: Sendable, Equatable {
    public var inMessages = 0
    public var outMessages = 0
    public var outBytes = 0
    public var reconnects = 0
}
