import Foundation
import NATSCore

/// A real cluster of `nats-server` processes on free loopback ports, fully routed, with JetStream on every node.
///
/// Every node has its own store directory and HTTP monitoring port. The servers have two accounts:
/// `APP` (JetStream enabled; clients that connect without credentials land in it) and `SYS`, the system account,
/// with the user `systemUser` / `systemPassword` and a user identified by the NKEY `systemNKey`. A node can be stopped and started again on the same ports and
/// store directory; `metaLeader()` says which node leads the JetStream meta group.
public final class NATSCluster: @unchecked Sendable {
    // @unchecked: the servers are only started and stopped by the test that owns the cluster, one call at a time.

    /// The system account's user and password.
    public static let systemUser = "sys"
    public static let systemPassword = "sys-test-secret"
    /// The application account's user and password (clients without credentials are this user too).
    public static let applicationUser = "app"
    public static let applicationPassword = "app-test-secret"

    /// A second system-account user, identified by this NKEY (its seed signs the server's nonce).
    public let systemNKey: NKeyPair
    /// The cluster name in every node's configuration.
    public let name: String
    public let servers: [NATSServer]

    /// Configures `size` nodes; nothing runs until `start()`.
    public init(size: Int = 3, name: String = "cim") throws {
        self.name = name
        let systemNKey = NKeyPair.generate(.user)
        self.systemNKey = systemNKey
        let clusterPorts = (0..<size).map { _ in FreePort.next() }
        servers = try clusterPorts.map { port in
            try NATSServer(
                jetStream: true,
                extraConfiguration: Self.accounts(systemNKey: systemNKey.publicKey),
                cluster: (name: name, port: port, routes: clusterPorts.filter { $0 != port })
            )
        }
    }

    static func accounts(systemNKey: String) -> String {
        """
        accounts: {
          APP: { jetstream: enabled, users: [ { user: "\(applicationUser)", password: "\(applicationPassword)" } ] }
          SYS: { users: [ { user: "\(systemUser)", password: "\(systemPassword)" }, { nkey: "\(systemNKey)" } ] }
        }
        system_account: SYS
        no_auth_user: \(applicationUser)
        """
    }

    /// Starts every node and waits until the cluster is routed and has a JetStream meta leader.
    public func start(timeout: Double = 30) async throws {
        for server in servers { try server.start() }
        try await waitUntilReady(timeout: timeout)
    }

    /// The client URLs of all nodes.
    public var urls: [String] { servers.map(\.url) }

    /// The monitoring base URLs (`http://127.0.0.1:<port>`) of all nodes.
    public var monitorURLs: [String] { servers.map(\.monitorURL) }

    /// The node with this `server_name`.
    public func server(named name: String) -> NATSServer? {
        servers.first { $0.name == name }
    }

    /// Waits until every running node is routed to every other running node, answers `/healthz` with ok and
    /// names the same meta leader.
    public func waitUntilReady(timeout: Double = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            let running = servers.filter(\.isRunning)
            var leaders = Set<String>()
            var ready = !running.isEmpty
            for server in running {
                guard let routez = try? await Self.json(server, "/routez"), let jsz = try? await Self.json(server, "/jsz"),
                    let health = try? await httpGet(port: server.monitorPort, path: "/healthz", timeout: 2)
                else {
                    ready = false
                    last = "\(server.name): monitoring port does not answer"
                    break
                }
                let peers = Set(((routez["routes"] as? [[String: Any]]) ?? []).compactMap { $0["remote_name"] as? String })
                let leader = (jsz["meta_cluster"] as? [String: Any])?["leader"] as? String ?? ""
                if peers.count < running.count - 1 || leader.isEmpty || health.status != 200 {
                    ready = false
                    last = "\(server.name): \(peers.count) routed peers, meta leader \"\(leader)\", healthz \(health.status)"
                    break
                }
                leaders.insert(leader)
            }
            if ready, leaders.count == 1, let leader = leaders.first, running.contains(where: { $0.name == leader }) { return }
            if ready { last = "nodes disagree on the meta leader: \(leaders.sorted())" }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw NATSServerError(message: "the cluster did not become ready within \(timeout) s: \(last)")
    }

    /// The running node that leads the JetStream meta group, as the first running node's `/jsz` says.
    public func metaLeader() async throws -> NATSServer {
        for server in servers where server.isRunning {
            guard let jsz = try? await Self.json(server, "/jsz") else { continue }
            let leader = (jsz["meta_cluster"] as? [String: Any])?["leader"] as? String ?? ""
            if let found = self.server(named: leader), found.isRunning { return found }
        }
        throw NATSServerError(message: "no running node names a running meta leader")
    }

    /// Waits until a running node other than `previous` leads the meta group.
    public func waitForMetaLeader(other previous: String, timeout: Double = 30) async throws -> NATSServer {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let leader = try? await metaLeader(), leader.name != previous { return leader }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw NATSServerError(message: "no new meta leader within \(timeout) s (the old one was \(previous))")
    }

    /// Stops every node and removes their directories.
    public func shutdown() {
        for server in servers { server.shutdown() }
    }

    /// One monitoring endpoint of `server` as a JSON object.
    public static func json(_ server: NATSServer, _ path: String) async throws -> [String: Any] {
        let reply = try await httpGet(port: server.monitorPort, path: path, timeout: 2)
        guard reply.status == 200, let object = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any] else {
            throw NATSServerError(message: "\(server.name) \(path) answered \(reply.status): \(reply.text.prefix(200))")
        }
        return object
    }
}
