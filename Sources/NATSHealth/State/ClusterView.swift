/// The cluster as the last poll saw it, merged over all servers' reports.
public struct ClusterView: Sendable {
    public struct Server: Sendable, Equatable {
        public var name: String
        public var cluster: String
        public var up: Bool
    }

    public struct StreamKey: Sendable, Hashable, Comparable {
        public var account: String
        public var stream: String

        public init(account: String, stream: String) {
            self.account = account
            self.stream = stream
        }

        public static func < (lhs: StreamKey, rhs: StreamKey) -> Bool { (lhs.account, lhs.stream) < (rhs.account, rhs.stream) }
    }

    public struct ConsumerKey: Sendable, Hashable, Comparable {
        public var stream: StreamKey
        public var consumer: String

        public init(stream: StreamKey, consumer: String) {
            self.stream = stream
            self.consumer = consumer
        }

        public static func < (lhs: ConsumerKey, rhs: ConsumerKey) -> Bool { (lhs.stream, lhs.consumer) < (rhs.stream, rhs.consumer) }
    }

    public struct Stream: Sendable {
        public var key: StreamKey
        public var leader: String?
        public var replicas: UInt64?
        public var messages: UInt64?
        public var bytes: UInt64?
        public var firstSequence: UInt64?
        public var lastSequence: UInt64?
        /// Every replica but the leader, as the leader reports them.
        public var peers: [JetStreamReport.Peer]
    }

    public struct Consumer: Sendable {
        public var key: ConsumerKey
        public var pending: UInt64
        public var ackPending: UInt64
        /// The ack floor's stream sequence; the next message after it is the oldest not acknowledged.
        public var ackFloor: UInt64
        public var stalled: Bool
        /// The age of the oldest unacknowledged message, filled in by the collector; `nil` when unknown.
        public var lagSeconds: Double?

        /// Messages not yet acknowledged: not delivered plus delivered and waiting for an ack.
        public var unacknowledged: UInt64 { pending &+ ackPending }
    }

    /// Every server known (seen, or named by a route), sorted by name.
    public var servers: [Server] = []
    public var metaLeader: String?
    public var streams: [Stream] = []
    public var consumers: [Consumer] = []
    /// The configured expected size, else the largest number of servers seen.
    public var expectedServers = 0

    public init() {}

    public var downServers: [Server] { servers.filter { !$0.up } }
}
