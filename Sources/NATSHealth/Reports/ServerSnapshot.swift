/// What one server said in one poll: each monitoring document that it answered, parsed.
public struct ServerSnapshot: Sendable {
    public var identity: ServerIdentity
    public var varz: JSONValue?
    public var jetStream: JetStreamReport?
    public var connz: JSONValue?
    public var routez: JSONValue?
    public var subsz: JSONValue?
    /// `/healthz` `status` (`ok`, `error`, `unavailable`).
    public var healthStatus: String?

    public init(identity: ServerIdentity) {
        self.identity = identity
    }

    /// The names of the servers this one has routes to (`/routez` `routes[].remote_name`).
    public var routedServerNames: [String] {
        (routez?["routes"]?.array ?? []).compactMap { $0["remote_name"]?.string }.filter { !$0.isEmpty }
    }

    /// Client connections now (`/varz` `connections`).
    public var connections: UInt64? { varz?["connections"]?.count }
    public var inMessages: UInt64? { varz?["in_msgs"]?.count }
    public var outMessages: UInt64? { varz?["out_msgs"]?.count }
    /// JetStream file storage used (`/varz` `jetstream.stats.storage`).
    public var storageUsed: UInt64? { varz?["jetstream", "stats", "storage"]?.count ?? jetStream?.storage }
    /// The maximum JetStream file storage configured (`/varz` `jetstream.config.max_storage`).
    public var storageReserved: UInt64? { varz?["jetstream", "config", "max_storage"]?.count ?? jetStream?.maxStorage }
}

/// The endpoints a poll reads from each server.
public enum MonitoringEndpoint: String, Sendable, CaseIterable {
    case varz, jsz, connz, routez, subsz, healthz

    /// The HTTP path and query, as prometheus-nats-exporter asks for it with `-jsz=all`.
    public var path: String {
        switch self {
        case .jsz: return "/jsz?accounts=true&streams=true&consumers=true&config=true&raft=true"
        default: return "/\(rawValue)"
        }
    }

    /// The `$SYS.REQ.SERVER.PING.<NAME>` subject.
    public var systemSubject: String { "$SYS.REQ.SERVER.PING.\(rawValue.uppercased())" }

    /// The request body of the `$SYS` request (the options the HTTP path carries in its query).
    public var systemRequestBody: String {
        switch self {
        case .jsz: return #"{"accounts":true,"streams":true,"consumer":true,"config":true,"raft":true}"#
        default: return "{}"
        }
    }
}
