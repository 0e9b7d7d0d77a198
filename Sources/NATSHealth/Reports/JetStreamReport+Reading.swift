import CIMEvents

/// Reading a `/jsz` document straight from its bytes into the report: one pass, nothing kept of the fields the
/// report does not use (a `/jsz` with every consumer is megabytes). The
/// first of a repeated member counts; a mistyped or out-of-range field is `nil`.
extension JetStreamReport {
    /// Reads a `/jsz` document; `nil` without a `server_id`.
    /// - Throws: ``JSONParser/Failure`` when the bytes are not one valid JSON document.
    public static func read(_ bytes: some Collection<UInt8>) throws(JSONParser.Failure) -> JetStreamReport? {
        try JSONReader.read(bytes) { (reader: inout JSONReader) throws(JSONParser.Failure) in try read(&reader, depth: 0) }
    }

    /// Which members of an object were read already (the first of a repeated member counts).
    struct FirstMembers {
        private var seen: UInt64 = 0

        mutating func first(_ bit: Int) -> Bool {
            defer { seen |= 1 << bit }
            return seen & (1 << bit) == 0
        }
    }

    static func read(_ reader: inout JSONReader, depth: Int) throws(JSONParser.Failure) -> JetStreamReport? {
        var report = JetStreamReport(serverID: "")
        var id: String?
        var seen = FirstMembers()
        let isObject = try JSONReader.members(&reader, depth: depth) { (key, reader) throws(JSONParser.Failure) in
            let inner = depth + 1
            switch key {
            case "server_id" where seen.first(0): id = try reader.scalar(depth: inner).string
            case "disabled" where seen.first(1): report.disabled = try reader.scalar(depth: inner).bool ?? false
            case "meta_cluster" where seen.first(2):
                var members = FirstMembers()
                try JSONReader.members(&reader, depth: inner) { (key, reader) throws(JSONParser.Failure) in
                    switch key {
                    case "leader" where members.first(0): report.metaLeader = try reader.scalar(depth: inner + 1).string
                    case "cluster_size" where members.first(1): report.metaClusterSize = try reader.scalar(depth: inner + 1).count
                    case "name" where members.first(2): report.metaClusterName = try reader.scalar(depth: inner + 1).string ?? ""
                    default: try reader.skip(depth: inner + 1)
                    }
                }
            case "config" where seen.first(3):
                var members = FirstMembers()
                try JSONReader.members(&reader, depth: inner) { (key, reader) throws(JSONParser.Failure) in
                    switch key {
                    case "domain" where members.first(0): report.domain = try reader.scalar(depth: inner + 1).string ?? ""
                    case "max_memory" where members.first(1): report.maxMemory = try reader.scalar(depth: inner + 1).count
                    case "max_storage" where members.first(2): report.maxStorage = try reader.scalar(depth: inner + 1).count
                    default: try reader.skip(depth: inner + 1)
                    }
                }
            case "memory" where seen.first(4): report.memory = try reader.scalar(depth: inner).count
            case "storage" where seen.first(5): report.storage = try reader.scalar(depth: inner).count
            case "reserved_memory" where seen.first(6): report.reservedMemory = try reader.scalar(depth: inner).count
            case "reserved_storage" where seen.first(7): report.reservedStorage = try reader.scalar(depth: inner).count
            case "streams" where seen.first(8): report.streams = try reader.scalar(depth: inner).count
            case "consumers" where seen.first(9): report.consumers = try reader.scalar(depth: inner).count
            case "messages" where seen.first(10): report.messages = try reader.scalar(depth: inner).count
            case "bytes" where seen.first(11): report.bytes = try reader.scalar(depth: inner).count
            case "now" where seen.first(12): report.now = try reader.scalar(depth: inner).string.flatMap(RFC3339.seconds)
            case "account_details" where seen.first(13):
                try JSONReader.elements(&reader, depth: inner) { (reader) throws(JSONParser.Failure) in
                    if let account = try readAccount(&reader, depth: inner + 1) { report.accounts.append(account) }
                }
            default: try reader.skip(depth: inner)
            }
        }
        guard isObject, let id, !id.isEmpty else { return nil }
        report.serverID = id
        return report
    }

    private static func readAccount(_ reader: inout JSONReader, depth: Int) throws(JSONParser.Failure) -> Account? {
        var name: String?
        var id: String?
        // The server leaves these out when they are 0 (`omitempty`); a present value must still be a count.
        var memory: UInt64? = 0
        var storage: UInt64? = 0
        var reservedMemory: Double? = 0
        var reservedStorage: Double? = 0
        var streams: [Stream] = []
        var seen = FirstMembers()
        func limit(_ value: JSONReader.Scalar) -> Double? { value.number.flatMap { $0 >= 0 && $0 <= 0x1p64 ? $0 : nil } }
        let isObject = try JSONReader.members(&reader, depth: depth) { (key, reader) throws(JSONParser.Failure) in
            let inner = depth + 1
            switch key {
            case "name" where seen.first(0): name = try reader.scalar(depth: inner).string
            case "id" where seen.first(1): id = try reader.scalar(depth: inner).string
            case "memory" where seen.first(2): memory = try reader.scalar(depth: inner).count
            case "storage" where seen.first(3): storage = try reader.scalar(depth: inner).count
            case "reserved_memory" where seen.first(4): reservedMemory = limit(try reader.scalar(depth: inner))
            case "reserved_storage" where seen.first(5): reservedStorage = limit(try reader.scalar(depth: inner))
            case "stream_detail" where seen.first(6):
                try JSONReader.elements(&reader, depth: inner) { (reader) throws(JSONParser.Failure) in
                    if let stream = try readStream(&reader, depth: inner + 1) { streams.append(stream) }
                }
            default: try reader.skip(depth: inner)
            }
        }
        guard isObject, let name = name ?? id else { return nil }
        return Account(
            name: name,
            id: id ?? name,
            memory: memory,
            storage: storage,
            reservedMemory: reservedMemory,
            reservedStorage: reservedStorage,
            streams: streams
        )
    }

    private static func readStream(_ reader: inout JSONReader, depth: Int) throws(JSONParser.Failure) -> Stream? {
        var stream = Stream(name: "", peers: [], consumers: [])
        var ownRaftGroup: String?
        var clusterRaftGroup: String?
        var seen = FirstMembers()
        let isObject = try JSONReader.members(&reader, depth: depth) { (key, reader) throws(JSONParser.Failure) in
            let inner = depth + 1
            switch key {
            case "name" where seen.first(0): stream.name = try reader.scalar(depth: inner).string ?? ""
            case "state" where seen.first(1):
                var members = FirstMembers()
                try JSONReader.members(&reader, depth: inner) { (key, reader) throws(JSONParser.Failure) in
                    switch key {
                    case "messages" where members.first(0): stream.messages = try reader.scalar(depth: inner + 1).count
                    case "bytes" where members.first(1): stream.bytes = try reader.scalar(depth: inner + 1).count
                    case "first_seq" where members.first(2): stream.firstSequence = try reader.scalar(depth: inner + 1).count
                    case "last_seq" where members.first(3): stream.lastSequence = try reader.scalar(depth: inner + 1).count
                    case "consumer_count" where members.first(4): stream.consumerCount = try reader.scalar(depth: inner + 1).count
                    case "num_subjects" where members.first(5): stream.subjectCount = try reader.scalar(depth: inner + 1).count
                    default: try reader.skip(depth: inner + 1)
                    }
                }
            case "config" where seen.first(2):
                var members = FirstMembers()
                try JSONReader.members(&reader, depth: inner) { (key, reader) throws(JSONParser.Failure) in
                    switch key {
                    case "max_bytes" where members.first(0): stream.maxBytes = try reader.scalar(depth: inner + 1).number
                    case "max_msgs" where members.first(1): stream.maxMessages = try reader.scalar(depth: inner + 1).number
                    case "num_replicas" where members.first(2): stream.replicas = try reader.scalar(depth: inner + 1).count
                    default: try reader.skip(depth: inner + 1)
                    }
                }
            case "cluster" where seen.first(3):
                var members = FirstMembers()
                try JSONReader.members(&reader, depth: inner) { (key, reader) throws(JSONParser.Failure) in
                    switch key {
                    case "leader" where members.first(0): stream.leader = try reader.scalar(depth: inner + 1).string
                    case "raft_group" where members.first(1): clusterRaftGroup = try reader.scalar(depth: inner + 1).string
                    case "replicas" where members.first(2):
                        try JSONReader.elements(&reader, depth: inner + 1) { (reader) throws(JSONParser.Failure) in
                            if let peer = try readPeer(&reader, depth: inner + 2) { stream.peers.append(peer) }
                        }
                    default: try reader.skip(depth: inner + 1)
                    }
                }
            case "stream_raft_group" where seen.first(4): ownRaftGroup = try reader.scalar(depth: inner).string
            case "consumer_detail" where seen.first(5):
                try JSONReader.elements(&reader, depth: inner) { (reader) throws(JSONParser.Failure) in
                    if let consumer = try readConsumer(&reader, depth: inner + 1) { stream.consumers.append(consumer) }
                }
            default: try reader.skip(depth: inner)
            }
        }
        guard isObject, !stream.name.isEmpty else { return nil }
        stream.raftGroup = ownRaftGroup ?? clusterRaftGroup
        return stream
    }

    private static func readPeer(_ reader: inout JSONReader, depth: Int) throws(JSONParser.Failure) -> Peer? {
        var name: String?
        var current: Bool?
        var lag: UInt64?
        var seen = FirstMembers()
        try JSONReader.members(&reader, depth: depth) { (key, reader) throws(JSONParser.Failure) in
            switch key {
            case "name" where seen.first(0): name = try reader.scalar(depth: depth + 1).string
            case "current" where seen.first(1): current = try reader.scalar(depth: depth + 1).bool
            case "lag" where seen.first(2): lag = try reader.scalar(depth: depth + 1).count
            default: try reader.skip(depth: depth + 1)
            }
        }
        return name.map { Peer(name: $0, current: current, lag: lag) }
    }

    private static func readConsumer(_ reader: inout JSONReader, depth: Int) throws(JSONParser.Failure) -> Consumer? {
        var consumer = Consumer(name: "", description: "")
        var written: Double?
        var lastDelivery: Double?
        var lastAck: Double?
        var seen = FirstMembers()
        let isObject = try JSONReader.members(&reader, depth: depth) { (key, reader) throws(JSONParser.Failure) in
            let inner = depth + 1
            switch key {
            case "name" where seen.first(0): consumer.name = try reader.scalar(depth: inner).string ?? ""
            case "ts" where seen.first(1): written = try reader.scalar(depth: inner).string.flatMap(RFC3339.seconds)
            case "config" where seen.first(2):
                var members = FirstMembers()
                try JSONReader.members(&reader, depth: inner) { (key, reader) throws(JSONParser.Failure) in
                    switch key {
                    case "description" where members.first(0): consumer.description = try reader.scalar(depth: inner + 1).string ?? ""
                    default: try reader.skip(depth: inner + 1)
                    }
                }
            case "cluster" where seen.first(3):
                var members = FirstMembers()
                try JSONReader.members(&reader, depth: inner) { (key, reader) throws(JSONParser.Failure) in
                    switch key {
                    case "leader" where members.first(0): consumer.leader = try reader.scalar(depth: inner + 1).string
                    default: try reader.skip(depth: inner + 1)
                    }
                }
            case "delivered" where seen.first(4):
                var members = FirstMembers()
                try JSONReader.members(&reader, depth: inner) { (key, reader) throws(JSONParser.Failure) in
                    switch key {
                    case "consumer_seq" where members.first(0): consumer.deliveredConsumerSequence = try reader.scalar(depth: inner + 1).count
                    case "stream_seq" where members.first(1): consumer.deliveredStreamSequence = try reader.scalar(depth: inner + 1).count
                    case "last_active" where members.first(2):
                        lastDelivery = try reader.scalar(depth: inner + 1).string.flatMap(RFC3339.seconds)
                    default: try reader.skip(depth: inner + 1)
                    }
                }
            case "ack_floor" where seen.first(5):
                var members = FirstMembers()
                try JSONReader.members(&reader, depth: inner) { (key, reader) throws(JSONParser.Failure) in
                    switch key {
                    case "consumer_seq" where members.first(0): consumer.ackFloorConsumerSequence = try reader.scalar(depth: inner + 1).count
                    case "stream_seq" where members.first(1): consumer.ackFloorStreamSequence = try reader.scalar(depth: inner + 1).count
                    case "last_active" where members.first(2): lastAck = try reader.scalar(depth: inner + 1).string.flatMap(RFC3339.seconds)
                    default: try reader.skip(depth: inner + 1)
                    }
                }
            case "num_ack_pending" where seen.first(6): consumer.ackPending = try reader.scalar(depth: inner).count
            case "num_redelivered" where seen.first(7): consumer.redelivered = try reader.scalar(depth: inner).count
            case "num_waiting" where seen.first(8): consumer.waiting = try reader.scalar(depth: inner).count
            case "num_pending" where seen.first(9): consumer.pending = try reader.scalar(depth: inner).count
            default: try reader.skip(depth: inner)
            }
        }
        guard isObject, !consumer.name.isEmpty else { return nil }
        if let written {
            consumer.lastDeliverySeconds = lastDelivery.map { written - $0 }
            consumer.lastAckSeconds = lastAck.map { written - $0 }
        }
        return consumer
    }
}
