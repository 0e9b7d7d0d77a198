/// A change of the cluster's health, published as `cim.monitor.<instance>.nats.<name>`.
public struct HealthEvent: Sendable, Equatable {
    /// `server_down`, `server_up`, `meta_leader_changed`, `stream_leader_changed`, `consumer_stalled`,
    /// `consumer_recovered`, or `health_poll_failed` / `health_poll_recovered` for the collector itself.
    public var name: String
    /// The server, stream or consumer it is about, and what changed.
    public var details: [String: String]

    public init(_ name: String, _ details: [String: String]) {
        self.name = name
        self.details = details
    }
}
