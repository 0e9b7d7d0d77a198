/// What `serve` is told on the command line, on top of the configuration file.
public struct ServeSettings: Sendable {
    /// Names this monitor in its snapshot keys and self-event subjects; two instances with different names form an HA pair.
    public var instance: String
    /// Start at the end of streams that have no snapshot yet, instead of their first message.
    public var startNew = false
    /// Seconds between snapshots.
    public var snapshotInterval: Double = 5
    /// Seconds between looks for new streams.
    public var discoveryInterval: Double = 30
    /// Pending messages below which a stream counts as caught up.
    public var readyPendingLimit: UInt64 = 1000
    /// Seconds that the last snapshot, the `stopping` event and the drain may take on shutdown.
    public var shutdownGrace: Double = 2
    /// The KV bucket that holds snapshots.
    public var bucket = "CIM_MONITOR"

    public init(instance: String) {
        self.instance = instance
    }
}
