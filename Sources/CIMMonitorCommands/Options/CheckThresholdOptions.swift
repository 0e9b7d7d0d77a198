import ArgumentParser
import CommandSupport
import Monitor
import Operations

/// The threshold flags of `check`; each one left out comes from the config file's `check:` section, else its default.
struct CheckThresholdOptions: ParsableArguments {
    @Option(name: .customLong("stream-age-warn"), help: "Warn when a stream's last message is older (default 5m).")
    var streamAgeWarn: DurationArgument?
    @Option(name: .customLong("stream-age-critical"), help: "Critical when a stream's last message is older (default 30m).")
    var streamAgeCritical: DurationArgument?
    @Option(name: .customLong("storage-warn"), help: "Warn at this share of JetStream storage used, 0…1 (default 0.8).")
    var storageWarn: Double?
    @Option(name: .customLong("storage-critical"), help: "Critical at this share of JetStream storage used, 0…1 (default 0.9).")
    var storageCritical: Double?
    @Option(name: .customLong("consumer-pending-warn"), help: "Warn when a durable consumer has this many pending (default 10000).")
    var consumerPendingWarn: UInt64?
    @Option(name: .customLong("consumer-pending-critical"), help: "Critical when a durable consumer has this many pending (default 100000).")
    var consumerPendingCritical: UInt64?
    @Option(name: .customLong("consumer-stalled"), help: "A consumer with pending messages inactive this long is stalled (default 5m).")
    var consumerStalled: DurationArgument?
    @Option(name: .customLong("snapshot-age-warn"), help: "Warn when a monitor's last snapshot is older (default 2m).")
    var snapshotAgeWarn: DurationArgument?
    @Option(name: .customLong("snapshot-age-critical"), help: "Critical when a monitor's last snapshot is older (default 10m).")
    var snapshotAgeCritical: DurationArgument?
    @Option(name: .customLong("gpu-age-warn"), help: "Warn when a GPU agent's last sample is older (default 1m).")
    var gpuAgeWarn: DurationArgument?
    @Option(name: .customLong("gpu-age-critical"), help: "Critical when a GPU agent's last sample is older (default 5m).")
    var gpuAgeCritical: DurationArgument?

    /// The flags given, as the first layer of the thresholds.
    var settings: CheckSettings {
        var settings = CheckSettings()
        settings.streamAgeWarn = streamAgeWarn?.seconds
        settings.streamAgeCritical = streamAgeCritical?.seconds
        settings.storageWarn = storageWarn
        settings.storageCritical = storageCritical
        settings.consumerPendingWarn = consumerPendingWarn
        settings.consumerPendingCritical = consumerPendingCritical
        settings.consumerStalled = consumerStalled?.seconds
        settings.snapshotAgeWarn = snapshotAgeWarn?.seconds
        settings.snapshotAgeCritical = snapshotAgeCritical?.seconds
        settings.gpuAgeWarn = gpuAgeWarn?.seconds
        settings.gpuAgeCritical = gpuAgeCritical?.seconds
        return settings
    }

    /// The thresholds: these flags, then the file's `check:` section, then the defaults.
    func resolve(file: CheckSettings) throws(CheckThresholdError) -> CheckThresholds {
        try CheckThresholds([settings, file])
    }
}
