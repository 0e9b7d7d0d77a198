import Foundation
import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Testing

/// The NATS recovery drill of issue 15 and `docs/runbooks/nats-recovery.md`, on the 3-node cluster of the health
/// tests: `check` says warn with one node down (JetStream keeps its quorum), critical with two down (no meta leader),
/// and ok when they are back.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct NATSRecoveryDrillTests {
    static func check(_ cluster: NATSCluster) async throws -> ProgramRun {
        var arguments = ["check", "--system-user", NATSCluster.systemUser, "--system-password", NATSCluster.systemPassword]
        arguments += ["--expected-servers", "3", "--stream", "ORDERS"]
        for url in cluster.urls { arguments += ["--server", url] }
        return try await CommandRunner.run(try CommandRunner.cimMonitor(), arguments, timeout: 90)
    }

    static func clusterLine(_ run: ProgramRun) -> String {
        run.outputText.split(separator: "\n").map(String.init).first { $0.dropFirst(9).hasPrefix("cluster ") }
            ?? "no cluster line in:\n\(run.outputText)"
    }

    @Test func checkFollowsTheClusterDownAndBackUp() async throws {
        try await withHealthCluster { bench in
            try await bench.jetStream.publish(ByteBuffer(string: "{}"), to: "orders.placed")
            let cluster = bench.cluster
            let healthy = try await Self.check(cluster)
            #expect(Self.clusterLine(healthy).hasPrefix("ok "), "\(healthy.outputText)")
            #expect(Self.clusterLine(healthy).contains("3 of 3 servers of cluster cim up, meta leader"))
            #expect(!healthy.outputText.contains(NATSCluster.systemPassword) && !healthy.error.contains(NATSCluster.systemPassword))

            let first = cluster.servers[0]
            first.stop()
            let oneDown = try await Self.check(cluster)
            let warn = Self.clusterLine(oneDown)
            #expect(warn.hasPrefix("warn ") && warn.contains("2 of 3 servers") && warn.contains("meta leader"), "\(oneDown.outputText)")
            #expect(warn.contains("docs/runbooks/nats-recovery.md#natsserverdown"))
            #expect(oneDown.status >= 1)

            let second = cluster.servers[1]
            second.stop()
            // A lone survivor that was the meta leader takes a few seconds to notice it lost its quorum.
            _ = try await poll(20) { Self.clusterLine(try await Self.check(cluster)).contains("no JetStream meta leader") }
            let twoDown = try await Self.check(cluster)
            let critical = Self.clusterLine(twoDown)
            #expect(critical.hasPrefix("critical ") && critical.contains("1 of 3 servers"), "\(twoDown.outputText)")
            #expect(critical.contains("no JetStream meta leader") && critical.contains("#natsnometaleader"), "\(critical)")
            #expect(twoDown.status == 2)

            try first.start()
            try second.start()
            try await cluster.waitUntilReady(timeout: 60)
            let back = try await poll(30) { Self.clusterLine(try await Self.check(cluster)).hasPrefix("ok ") }
            let after = try await Self.check(cluster)
            #expect(back, "\(after.outputText)")
            #expect(Self.clusterLine(after).contains("3 of 3 servers"))
        }
    }
}
