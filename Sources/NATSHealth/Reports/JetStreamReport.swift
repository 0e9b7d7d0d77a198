/// A server's `/jsz` document with accounts, streams and consumers: only the fields the health families use, each
/// `nil` when absent or out of range.
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
        public var reservedMemory: UInt64?
        public var reservedStorage: UInt64?
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

    /// Parses a `/jsz` document; `nil` without a `server_id`.
    public init?(_ json: JSONValue) {
        guard let id = json["server_id"]?.string, !id.isEmpty else { return nil }
        serverID = id
        disabled = json["disabled"]?.bool ?? false
        metaLeader = json["meta_cluster", "leader"]?.string
        metaClusterSize = json["meta_cluster", "cluster_size"]?.count
        metaClusterName = json["meta_cluster", "name"]?.string ?? ""
        domain = json["config", "domain"]?.string ?? ""
        maxMemory = json["config", "max_memory"]?.count
        maxStorage = json["config", "max_storage"]?.count
        memory = json["memory"]?.count
        storage = json["storage"]?.count
        reservedMemory = json["reserved_memory"]?.count
        reservedStorage = json["reserved_storage"]?.count
        streams = json["streams"]?.count
        consumers = json["consumers"]?.count
        messages = json["messages"]?.count
        bytes = json["bytes"]?.count
        now = json["now"]?.string.flatMap(RFC3339Time.seconds)
        accounts = (json["account_details"]?.array ?? []).compactMap(Self.account)
    }

    private static func account(_ json: JSONValue) -> Account? {
        guard let name = json["name"]?.string ?? json["id"]?.string else { return nil }
        return Account(
            name: name,
            id: json["id"]?.string ?? name,
            memory: json["memory"]?.count,
            storage: json["storage"]?.count,
            reservedMemory: json["reserved_memory"]?.count,
            reservedStorage: json["reserved_storage"]?.count,
            streams: (json["stream_detail"]?.array ?? []).compactMap(stream)
        )
    }

    private static func stream(_ json: JSONValue) -> Stream? {
        guard let name = json["name"]?.string, !name.isEmpty else { return nil }
        let state = json["state"]
        let cluster = json["cluster"]
        return Stream(
            name: name,
            messages: state?["messages"]?.count,
            bytes: state?["bytes"]?.count,
            firstSequence: state?["first_seq"]?.count,
            lastSequence: state?["last_seq"]?.count,
            consumerCount: state?["consumer_count"]?.count,
            subjectCount: state?["num_subjects"]?.count,
            maxBytes: json["config", "max_bytes"]?.number,
            maxMessages: json["config", "max_msgs"]?.number,
            replicas: json["config", "num_replicas"]?.count,
            leader: cluster?["leader"]?.string,
            raftGroup: json["stream_raft_group"]?.string ?? cluster?["raft_group"]?.string,
            peers: (cluster?["replicas"]?.array ?? []).compactMap { replica in
                replica["name"]?.string.map { Peer(name: $0, current: replica["current"]?.bool, lag: replica["lag"]?.count) }
            },
            consumers: (json["consumer_detail"]?.array ?? []).compactMap(consumer)
        )
    }

    private static func consumer(_ json: JSONValue) -> Consumer? {
        guard let name = json["name"]?.string, !name.isEmpty else { return nil }
        let written = json["ts"]?.string.flatMap(RFC3339Time.seconds)
        func since(_ field: JSONValue?) -> Double? {
            guard let written, let time = field?.string.flatMap(RFC3339Time.seconds) else { return nil }
            return written - time
        }
        return Consumer(
            name: name,
            description: json["config", "description"]?.string ?? "",
            leader: json["cluster", "leader"]?.string,
            deliveredConsumerSequence: json["delivered", "consumer_seq"]?.count,
            deliveredStreamSequence: json["delivered", "stream_seq"]?.count,
            ackFloorConsumerSequence: json["ack_floor", "consumer_seq"]?.count,
            ackFloorStreamSequence: json["ack_floor", "stream_seq"]?.count,
            ackPending: json["num_ack_pending"]?.count,
            redelivered: json["num_redelivered"]?.count,
            waiting: json["num_waiting"]?.count,
            pending: json["num_pending"]?.count,
            lastDeliverySeconds: since(json["delivered", "last_active"]),
            lastAckSeconds: since(json["ack_floor", "last_active"])
        )
    }
}
