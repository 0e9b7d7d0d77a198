import NATSCore

/// A stream's configuration and state.
public struct StreamInfo: Codable, Sendable {
    public var config: StreamConfig
    public var created: String
    public var state: StreamState
}

/// What a stream holds now.
public struct StreamState: Codable, Sendable, Equatable {
    public var messages: UInt64
    public var bytes: UInt64
    public var firstSeq: UInt64
    public var firstTs: String?
    public var lastSeq: UInt64
    public var lastTs: String?
    public var numSubjects: Int?
    public var subjects: [String: UInt64]?
    public var numDeleted: Int?
    public var consumerCount: Int
}

/// JetStream usage and limits of the account.
public struct AccountInfo: Codable, Sendable {
    public var memory: UInt64
    public var storage: UInt64
    public var streams: Int
    public var consumers: Int
    public var domain: String?
    public var limits: AccountLimits
    public var api: APIStats

    public struct AccountLimits: Codable, Sendable {
        public var maxMemory: Int64
        public var maxStorage: Int64
        public var maxStreams: Int
        public var maxConsumers: Int
    }

    public struct APIStats: Codable, Sendable {
        public var total: UInt64
        public var errors: UInt64
        public var level: Int?
    }
}

/// The server's answer to a publish into a stream.
public struct PubAck: Codable, Sendable, Equatable {
    public var stream: String
    public var seq: UInt64
    public var domain: String?
    /// The message id was seen within the duplicate window; nothing was stored.
    public var duplicate: Bool?
}

/// A message read back from a stream by sequence or subject.
public struct StoredMessage: Sendable {
    public var subject: String
    public var sequence: UInt64
    public var headers: NATSHeaders?
    public var data: [UInt8]
    /// Store time (RFC 3339).
    public var time: String
}
