import Logging

/// A swift-log handler that turns records at `warning` and above into monitor events
/// (`cim.monitor.<instance>.log_warning`, …) and drops the rest: the monitor writes no log lines.
public struct EventLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .warning
    let publisher: MonitorEventPublisher
    let label: String

    public init(label: String, publisher: MonitorEventPublisher) {
        self.label = label
        self.publisher = publisher
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        guard event.level >= .warning else { return }
        var details = ["message": "\(event.message)", "source": event.source, "logger": label]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { details["meta_\(key)"] = "\(value)" }
        let publisher = self.publisher
        let kind = "log_\(event.level.rawValue)"
        Task { await publisher.publish(kind, details) }
    }
}
