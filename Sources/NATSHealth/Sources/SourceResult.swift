/// What one source gave in one poll.
public struct SourceResult: Sendable {
    /// The servers that answered, each with the documents it answered.
    public var snapshots: [ServerSnapshot] = []
    /// Servers that did not answer: the name they answered with before, or their monitoring URL.
    public var unanswered: [String] = []
    /// The poll's errors, as reasons (`timeout`, `connect`, `auth`, `http_status`, `invalid_json`, `no_reply`) with a
    /// one-line message that holds no secret.
    public var errors: [(reason: String, message: String)] = []

    public init() {}
}
