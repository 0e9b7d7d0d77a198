/// A server's `/jsz` document with accounts, streams and consumers: only the fields the health families use, each
/// `nil` when absent or out of range. Read from the document's bytes in one pass (``read(_:)``).
public struct JetStreamReport: Sendable {
    public var serverID: String
    public var disabled: Bool
    public var metaLeader: String?
    /// `meta_cluster.name`, the exporter's `cluster` label of jsz families.
    public var metaClusterName: String
    /// `config.domain`.
    public var domain: String
    public var metaClusterSize: UInt64?
    public var maxMemory: UInt64?
    public var maxStorage: UInt64?
    public var memory: UInt64?
    public var storage: UInt64?
    public var reservedMemory: UInt64?
    public var reservedStorage: UInt64?
    public var streams: UInt64?
    public var consumers: UInt64?
    public var messages: UInt64?
    public var bytes: UInt64?
    /// The time the server wrote the document (`now`), unix seconds.
    public var now: Double?
    public var accounts: [Account]

    public struct Account: Sendable {
        public var name: String
        public var id: String
        public var memory: UInt64?
        public var storage: UInt64?
        /// The account's JetStream limits; 2^64 - 1 (as a `Double`, as the exporter writes it) means unlimited.
        public var reservedMemory: Double?
        public var reservedStorage: Double?
        public var streams: [Stream]
    }

    public struct Stream: Sendable {
        public var name: String
        public var messages: UInt64?
        public var bytes: UInt64?
        public var firstSequence: UInt64?
        public var lastSequence: UInt64?
        public var consumerCount: UInt64?
        public var subjectCount: UInt64?
        /// `config.max_bytes` / `config.max_msgs`; -1 is unlimited.
        public var maxBytes: Double?
        public var maxMessages: Double?
        public var replicas: UInt64?
        public var leader: String?
        public var raftGroup: String?
        /// The other replicas, as the reporting server sees them.
        public var peers: [Peer]
        public var consumers: [Consumer]
    }

    public struct Peer: Sendable {
        public var name: String
        public var current: Bool?
        public var lag: UInt64?
    }

    public struct Consumer: Sendable {
        public var name: String
        public var description: String
        public var leader: String?
        public var deliveredConsumerSequence: UInt64?
        public var deliveredStreamSequence: UInt64?
        public var ackFloorConsumerSequence: UInt64?
        public var ackFloorStreamSequence: UInt64?
        public var ackPending: UInt64?
        public var redelivered: UInt64?
        public var waiting: UInt64?
        public var pending: UInt64?
        /// Seconds between the document's `ts` and the last delivery / last ack.
        public var lastDeliverySeconds: Double?
        public var lastAckSeconds: Double?
    }

    init(serverID: String) {
        self.serverID = serverID
        disabled = false
        metaClusterName = ""
        domain = ""
        accounts = []
    }
}
