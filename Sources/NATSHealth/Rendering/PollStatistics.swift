/// The collector's own health: polls, errors and durations per source.
public struct PollStatistics: Sendable {
    public struct Key: Hashable, Sendable, Comparable {
        public var source: String
        public var reason: String

        public static func < (lhs: Key, rhs: Key) -> Bool { (lhs.source, lhs.reason) < (rhs.source, rhs.reason) }
    }

    /// Polls done, by source (`system`, `http`).
    public var polls: [String: UInt64] = [:]
    /// Errors by source and reason (`timeout`, `connect`, `auth`, `http_status`, `invalid_json`, `no_reply`).
    public var errors: [Key: UInt64] = [:]
    /// The last poll's duration in seconds, by source.
    public var lastDuration: [String: Double] = [:]
    /// When the last poll ended (unix seconds); 0 before the first.
    public var lastPollTimestamp: Double = 0
    /// The last poll's error messages (one line each, no secrets), for `nats status`.
    public var lastErrorMessages: [String] = []

    public init() {}

    public mutating func countError(source: String, reason: String) {
        errors[Key(source: source, reason: reason), default: 0] += 1
    }
}
