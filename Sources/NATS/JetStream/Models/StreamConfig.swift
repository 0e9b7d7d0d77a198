/// A stream's configuration (`StreamConfig` of the JetStream API). Durations are nanoseconds.
public struct StreamConfig: Codable, Sendable, Equatable {
    public var name: String
    public var description: String?
    public var subjects: [String]?
    public var retention: String = "limits"
    public var maxConsumers: Int = -1
    public var maxMsgs: Int64 = -1
    public var maxBytes: Int64 = -1
    public var maxAge: Int64 = 0
    public var maxMsgsPerSubject: Int64 = -1
    public var maxMsgSize: Int32 = -1
    public var discard: String = "old"
    public var storage: String = "file"
    public var numReplicas: Int = 1
    public var duplicateWindow: Int64?
    public var allowDirect: Bool?
    public var allowRollupHdrs: Bool?
    public var denyDelete: Bool?
    public var denyPurge: Bool?
    public var mirrorDirect: Bool?
    public var sealed: Bool?
    public var compression: String?
    public var metadata: [String: String]?

    public init(name: String, subjects: [String]? = nil, storage: String = "file") {
        self.name = name
        self.subjects = subjects
        self.storage = storage
    }
}
