/// Which server to try next and how long to wait first.
///
/// The pool holds the configured servers and those the cluster announces in `connect_urls`. After a connection
/// is lost the first attempt is immediate; after every full pass over the pool without success the wait grows
/// exponentially up to `maxWait`, plus jitter. A server that failed `maxAttemptsPerServer` times in a row leaves the pool.
/// Randomness is an input (`jitter` in 0..<1), so the machine is deterministic under test.
public struct ReconnectStateMachine: Sendable {
    public struct Server: Equatable, Sendable {
        public var url: ServerURL
        /// Learnt from `connect_urls` rather than configured.
        public var discovered: Bool
        public var failures = 0
    }

    public enum Action: Equatable, Sendable {
        case connect(ServerURL, afterSeconds: Double)
        case giveUp(NATSError)
    }

    public private(set) var pool: [Server]
    public let initialWait: Double
    public let maxWait: Double
    public let maxJitter: Double
    /// -1 for no limit.
    public let maxAttemptsPerServer: Int
    public let ignoreDiscovered: Bool
    private var cursor = 0
    private var attemptsThisPass = 0
    private var passes = 0

    public init(
        servers: [ServerURL],
        initialWait: Double = 0.25,
        maxWait: Double = 4,
        maxJitter: Double = 0.1,
        maxAttemptsPerServer: Int = -1,
        ignoreDiscovered: Bool = false
    ) {
        self.pool = servers.map { Server(url: $0, discovered: false) }
        self.initialWait = initialWait
        self.maxWait = maxWait
        self.maxJitter = maxJitter
        self.maxAttemptsPerServer = maxAttemptsPerServer
        self.ignoreDiscovered = ignoreDiscovered
    }

    /// The server to try for the first connection, in order.
    public var servers: [ServerURL] { pool.map(\.url) }

    /// The connection to `url` was established: reset the backoff.
    public mutating func connected(to url: ServerURL) {
        if let index = pool.firstIndex(where: { $0.url.host == url.host && $0.url.port == url.port }) {
            pool[index].failures = 0
            cursor = index
        }
        passes = 0
        attemptsThisPass = 0
    }

    /// The established connection was lost: try the next server at once.
    public mutating func connectionLost(jitter: Double) -> Action {
        attemptsThisPass = 0
        passes = 0
        return nextAttempt(jitter: jitter)
    }

    /// An attempt to `url` failed.
    public mutating func attemptFailed(_ url: ServerURL, jitter: Double) -> Action {
        if let index = pool.firstIndex(where: { $0.url.host == url.host && $0.url.port == url.port }) {
            pool[index].failures += 1
            if maxAttemptsPerServer >= 0 && pool[index].failures >= maxAttemptsPerServer {
                pool.remove(at: index)
                if cursor >= index && cursor > 0 { cursor -= 1 }
            }
        }
        return nextAttempt(jitter: jitter)
    }

    /// The server announced its cluster peers (`host:port` strings).
    public mutating func serversDiscovered(_ connectURLs: [String], tls: Bool) {
        guard !ignoreDiscovered else { return }
        var announced: [ServerURL] = []
        for text in connectURLs {
            guard var url = try? ServerURL(text) else { continue }
            url.tls = url.tls || tls
            announced.append(url)
        }
        pool.removeAll { server in server.discovered && !announced.contains { $0.host == server.url.host && $0.port == server.url.port } }
        for url in announced where !pool.contains(where: { $0.url.host == url.host && $0.url.port == url.port }) {
            var inherited = url
            inherited.user = pool.first?.url.user
            inherited.password = pool.first?.url.password
            pool.append(Server(url: inherited, discovered: true))
        }
    }

    private mutating func nextAttempt(jitter: Double) -> Action {
        guard !pool.isEmpty else {
            return .giveUp(NATSError(.noServers, "no server left to reconnect to"))
        }
        var wait = 0.0
        if attemptsThisPass >= pool.count {
            // A whole pass over the pool failed: back off before the next one.
            attemptsThisPass = 0
            passes += 1
            wait = min(initialWait * Double(1 << min(passes - 1, 20)), maxWait) + maxJitter * jitter
        }
        cursor = (cursor + 1) % pool.count
        attemptsThisPass += 1
        return .connect(pool[cursor].url, afterSeconds: wait)
    }
}
