/// The thresholds of `cim-monitor check` as one layer gives them (its flags, or the `check:` section of a configuration
/// file), each optional: ``CheckThresholds`` takes each from the first layer that has it, else its default.
/// Durations are seconds, shares 0…1.
public struct CheckSettings: Sendable, Equatable {
    public var streamAgeWarn: Double?
    public var streamAgeCritical: Double?
    public var storageWarn: Double?
    public var storageCritical: Double?
    public var consumerPendingWarn: UInt64?
    public var consumerPendingCritical: UInt64?
    public var consumerStalled: Double?
    public var snapshotAgeWarn: Double?
    public var snapshotAgeCritical: Double?
    public var gpuAgeWarn: Double?
    public var gpuAgeCritical: Double?

    public init() {}

    /// The keys of the section, as written in the file.
    public static let keys = [
        "stream_age_warn", "stream_age_critical", "storage_warn", "storage_critical", "consumer_pending_warn",
        "consumer_pending_critical", "consumer_stalled", "snapshot_age_warn", "snapshot_age_critical", "gpu_age_warn",
        "gpu_age_critical",
    ]
}
