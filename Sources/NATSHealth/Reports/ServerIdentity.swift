/// Who a server is, as its monitoring JSON or its `$SYS` reply envelope says.
public struct ServerIdentity: Sendable, Hashable {
    /// The internal server id (`server_id`), the exporter's `server_id` label with `-use_internal_server_id`.
    public var id: String
    /// `server_name`; the id when the server has no name.
    public var name: String
    /// The cluster name; empty when not clustered.
    public var cluster: String
    public var version: String

    public init(id: String, name: String, cluster: String = "", version: String = "") {
        self.id = id
        self.name = name.isEmpty ? id : name
        self.cluster = cluster
        self.version = version
    }

    /// From a `/varz` document; `nil` without a `server_id`.
    public init?(varz: JSONValue) {
        guard let id = varz["server_id"]?.string, !id.isEmpty else { return nil }
        self.init(
            id: id,
            name: varz["server_name"]?.string ?? id,
            cluster: varz["cluster", "name"]?.string ?? "",
            version: varz["version"]?.string ?? ""
        )
    }
}
