import Monitor

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

    /// Each threshold from the first layer that gives it (flags before the file), else the default; then checked:
    /// shares are 0…1 and no warn level is above its critical one.
    public init(_ layers: [CheckSettings]) throws(CheckThresholdError) {
        func first<Value>(_ field: KeyPath<CheckSettings, Value?>) -> Value? { layers.lazy.compactMap { $0[keyPath: field] }.first }
        streamAge = (first(\.streamAgeWarn) ?? streamAge.warn, first(\.streamAgeCritical) ?? streamAge.critical)
        storage = (first(\.storageWarn) ?? storage.warn, first(\.storageCritical) ?? storage.critical)
        consumerPending = (first(\.consumerPendingWarn) ?? consumerPending.warn, first(\.consumerPendingCritical) ?? consumerPending.critical)
        consumerStalled = first(\.consumerStalled) ?? consumerStalled
        snapshotAge = (first(\.snapshotAgeWarn) ?? snapshotAge.warn, first(\.snapshotAgeCritical) ?? snapshotAge.critical)
        gpuAge = (first(\.gpuAgeWarn) ?? gpuAge.warn, first(\.gpuAgeCritical) ?? gpuAge.critical)
        guard (0...1).contains(storage.warn), (0...1).contains(storage.critical) else {
            throw CheckThresholdError("storage-warn and storage-critical are shares of the storage, 0…1 (0.8 for 80 %)")
        }
        let pairs: [(String, Double, Double)] = [
            ("stream-age", streamAge.warn, streamAge.critical), ("storage", storage.warn, storage.critical),
            ("consumer-pending", Double(consumerPending.warn), Double(consumerPending.critical)),
            ("snapshot-age", snapshotAge.warn, snapshotAge.critical), ("gpu-age", gpuAge.warn, gpuAge.critical),
        ]
        for (name, warn, critical) in pairs where warn > critical {
            throw CheckThresholdError("\(name)-warn is above \(name)-critical: lower the warn level or raise the critical one")
        }
    }

    public static func == (lhs: CheckThresholds, rhs: CheckThresholds) -> Bool {
        lhs.streamAge == rhs.streamAge && lhs.storage == rhs.storage && lhs.consumerPending == rhs.consumerPending
            && lhs.consumerStalled == rhs.consumerStalled && lhs.snapshotAge == rhs.snapshotAge && lhs.gpuAge == rhs.gpuAge
            && lhs.expectedServers == rhs.expectedServers
    }
}

/// Thresholds that contradict each other or are out of range.
public struct CheckThresholdError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
