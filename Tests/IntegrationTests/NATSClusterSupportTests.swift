import Foundation
import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Testing

/// The test support's 3-node cluster: routed, JetStream on every node, a system account, restartable nodes.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct NATSClusterSupportTests {
    @Test func threeNodesRouteElectAMetaLeaderAndHoldAnR3Stream() async throws {
        let cluster = try NATSCluster()
        defer { cluster.shutdown() }
        try await cluster.start()
        #expect(Set(cluster.servers.map(\.monitorPort)).count == 3)
        #expect(Set(cluster.servers.map(\.directory)).count == 3)
        let leader = try await cluster.metaLeader()
        #expect(cluster.servers.contains { $0.name == leader.name })

        let client = try await cluster.servers[0].connectedClient()
        let js = JetStream(client: client)
        var config = StreamConfig(name: "ORDERS", subjects: ["orders.>"])
        config.numReplicas = 3
        let info = try await js.createStream(config)
        #expect(info.config.numReplicas == 3)
        await client.close()

        // The system user sees every server: one PING gathers a reply from each node.
        let system = try await cluster.servers[1].connectedClient {
            $0.auth = .userPassword(user: NATSCluster.systemUser, password: NATSCluster.systemPassword)
        }
        let inbox = "_INBOX.cluster-support"
        let replies = try await system.subscribe(to: inbox)
        try await system.flush()
        try await system.publish("", to: "$SYS.REQ.SERVER.PING", replyTo: inbox)
        let gathered = try await withTimeout(5) {
            var seen = Set<String>()
            for await message in replies {
                let object = try JSONSerialization.jsonObject(with: Data(message.string.utf8)) as? [String: Any]
                if let name = (object?["server"] as? [String: Any])?["name"] as? String { seen.insert(name) }
                if seen.count == 3 { break }
            }
            return seen
        }
        #expect(gathered == Set(cluster.servers.map(\.name)))
        await system.close()
    }

    @Test func aStoppedMetaLeaderIsReplacedAndComesBackOnItsPortsAndStore() async throws {
        let cluster = try NATSCluster()
        defer { cluster.shutdown() }
        try await cluster.start()
        let leader = try await cluster.metaLeader()
        let port = leader.port
        leader.stop()
        #expect(!leader.isRunning)
        let next = try await cluster.waitForMetaLeader(other: leader.name)
        #expect(next.name != leader.name)
        try leader.start()
        #expect(leader.port == port)
        try await cluster.waitUntilReady()
        let jsz = try await NATSCluster.json(leader, "/jsz")
        #expect((jsz["meta_cluster"] as? [String: Any])?["cluster_size"] as? Int == 3)
    }
}
