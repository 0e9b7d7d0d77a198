/// The thresholds of `check` (flags, or the `check:` section of the configuration file).
public struct CheckThresholds: Sendable, Equatable {
    /// Age of a stream's last message: warn, critical (seconds).
    public var streamAge: (warn: Double, critical: Double) = (300, 1800)
    /// Share of JetStream storage in use: warn, critical.
    public var storage: (warn: Double, critical: Double) = (0.8, 0.9)
    /// Messages a durable consumer has not received yet: warn, critical.
    public var consumerPending: (warn: UInt64, critical: UInt64) = (10_000, 100_000)
    /// Seconds since a consumer with pending messages was last active: stalled (critical).
    public var consumerStalled: Double = 300
    /// Age of a monitor instance's last snapshot: warn, critical (seconds).
    public var snapshotAge: (warn: Double, critical: Double) = (120, 600)
    /// Age of a GPU agent's last `sampled` event: warn, critical (seconds).
    public var gpuAge: (warn: Double, critical: Double) = (60, 300)
    /// Servers the cluster should have; 0: what the servers report.
    public var expectedServers = 0

    public init() {}

    public static func == (lhs: CheckThresholds, rhs: CheckThresholds) -> Bool {
        lhs.streamAge == rhs.streamAge && lhs.storage == rhs.storage && lhs.consumerPending == rhs.consumerPending
            && lhs.consumerStalled == rhs.consumerStalled && lhs.snapshotAge == rhs.snapshotAge && lhs.gpuAge == rhs.gpuAge
            && lhs.expectedServers == rhs.expectedServers
    }
}
