/// A consumer's configuration. Durations are nanoseconds.
public struct ConsumerConfig: Codable, Sendable, Equatable {
    public enum DeliverPolicy: String, Codable, Sendable {
        case all, last, new
        case byStartSequence = "by_start_sequence"
        case byStartTime = "by_start_time"
        case lastPerSubject = "last_per_subject"
    }

    public enum AckPolicy: String, Codable, Sendable {
        case none, all, explicit
    }

    public var name: String?
    public var durableName: String?
    public var description: String?
    public var deliverPolicy: DeliverPolicy = .all
    public var optStartSeq: UInt64?
    /// RFC 3339 time for `.byStartTime`.
    public var optStartTime: String?
    public var ackPolicy: AckPolicy = .explicit
    public var ackWait: Int64?
    public var maxDeliver: Int?
    public var filterSubject: String?
    public var filterSubjects: [String]?
    public var replayPolicy: String = "instant"
    public var maxWaiting: Int?
    public var maxAckPending: Int?
    public var headersOnly: Bool?
    public var maxBatch: Int?
    public var maxExpires: Int64?
    public var inactiveThreshold: Int64?
    public var numReplicas: Int?
    public var memStorage: Bool?
    public var metadata: [String: String]?

    public init(durableName: String? = nil, ackPolicy: AckPolicy = .explicit, deliverPolicy: DeliverPolicy = .all) {
        self.durableName = durableName
        self.ackPolicy = ackPolicy
        self.deliverPolicy = deliverPolicy
    }
}

/// A consumer's configuration and progress.
public struct ConsumerInfo: Codable, Sendable {
    public var streamName: String
    public var name: String
    public var created: String
    public var config: ConsumerConfig
    public var delivered: SequenceInfo
    public var ackFloor: SequenceInfo
    public var numAckPending: Int
    public var numRedelivered: Int
    public var numWaiting: Int
    public var numPending: UInt64

    public struct SequenceInfo: Codable, Sendable {
        public var consumerSeq: UInt64
        public var streamSeq: UInt64
        public var lastActive: String?
    }
}
