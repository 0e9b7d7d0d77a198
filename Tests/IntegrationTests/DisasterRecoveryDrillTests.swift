import Foundation
import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Operations
import Testing

/// The disaster-recovery drill of issue 15 and `docs/runbooks/backup-restore.md`: a workload folded by `serve`; a
/// backup of the event stream and `CIM_MONITOR`; nats-server killed and its store deleted; a fresh server; restore;
/// `serve` again. The counters equal the stream's message count exactly, and a replay of one aggregate returns what
/// it returned before the disaster. The recovery time (restore start → `/readyz` 200) is printed.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct DisasterRecoveryDrillTests {
    @Test func theMonitorComesBackExactAfterLosingTheServerAndItsStore() async throws {
        let workload = Workload(count: 3000, seed: 15)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ops-dr-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }

        // 1. A workload, with `serve` folding it; one aggregate with a history of its own.
        let first = try NATSServer()
        try first.start()
        var client = try await first.connectedClient()
        var jetStream = JetStream(client: client, timeout: 10)
        try await jetStream.createStream(StreamConfig(name: Bench.stream, subjects: ["cim.*.events.>"]))
        let monitor = try MonitorProcess(arguments: [
            "serve", "--server", first.url, "--instance", "dr", "--stream", Bench.stream, "--snapshot-interval", "0.2",
        ])
        try monitor.start()
        try await monitor.waitUntilServing()
        for event in workload.events {
            try await jetStream.publish(ByteBuffer(bytes: event.payload), to: event.subject, messageID: event.id)
        }
        for step in 0..<12 {
            let payload = #"{"aggregate_id":"order-42","event_id":"order-42-\#(step)","step":\#(step)}"#
            try await jetStream.publish(ByteBuffer(string: payload), to: "cim.orders.events.order.\(step % 2 == 0 ? "placed" : "paid")")
        }
        let info = try await jetStream.streamInfo(Bench.stream)
        let total = info.state.messages
        #expect(total == UInt64(workload.events.count + 12))
        let beforeSamples = try await waitCaughtUp(monitor, streamLastSequence: info.state.lastSeq)
        let countsBefore = eventCounts(beforeSamples)
        #expect(countsBefore.values.reduce(0, +) == total)
        // A graceful stop saves the last snapshot.
        #expect(await monitor.terminate() == 0)
        let replayBefore = try await CommandRunner.run(
            try CommandRunner.cimMonitor(),
            ["replay", Bench.stream, "--aggregate", "order-42", "--server", first.url]
        )
        try #require(replayBefore.status == 0, "\(replayBefore.error)")
        #expect(replayBefore.outputText.split(separator: "\n").count == 12)

        // 2. Back up the event stream and the monitor's state.
        let backup = try await CommandRunner.run(
            try CommandRunner.cimMonitor(),
            ["backup", Bench.stream, "KV_CIM_MONITOR", "--to", directory.path, "--server", first.url],
            timeout: 120
        )
        try #require(backup.status == 0, "\(backup.error)")
        await client.close()

        // 3. The disaster: nats-server killed, its store deleted.
        first.kill()
        first.shutdown()
        #expect(!FileManager.default.fileExists(atPath: first.directory.path))

        // 4. A fresh server; restore both.
        let second = try NATSServer()
        try second.start()
        defer { second.shutdown() }
        let clock = ContinuousClock()
        let restoreStart = clock.now
        let restore = try await CommandRunner.run(
            try CommandRunner.cimMonitor(),
            ["restore", directory.path, "--server", second.url],
            timeout: 120
        )
        try #require(restore.status == 0, "\(restore.error)")
        let restored = clock.now

        // 5. `serve` again.
        let again = try MonitorProcess(arguments: ["serve", "--server", second.url, "--instance", "dr", "--stream", Bench.stream])
        try again.start()
        defer { again.kill() }
        let ready = try await poll(60) { (try? await httpGet(port: again.port, path: "/readyz", timeout: 1))?.status == 200 }
        let readyAt = clock.now
        try #require(ready, "not ready after the restore: \(again.stderr.suffix(1000))")
        print(
            "DR drill: \(total) events; restore \(formatSeconds(restored - restoreStart)), restore start → /readyz 200 in "
                + "\(formatSeconds(readyAt - restoreStart))"
        )

        client = try await second.connectedClient()
        jetStream = JetStream(client: client, timeout: 10)
        let infoAfter = try await jetStream.streamInfo(Bench.stream)
        #expect(infoAfter.state.messages == total)
        let samples = try await waitCaughtUp(again, streamLastSequence: infoAfter.state.lastSeq)
        let countsAfter = eventCounts(samples)
        #expect(countsAfter.values.reduce(0, +) == total, "nothing lost, nothing counted twice")
        #expect(countsAfter == countsBefore, "\(difference(countsAfter, countsBefore))")
        // Whether it resumed from the restored snapshot or folded the restored stream again (a restored stream has a
        // new creation time), the counts are the same; the drill says which happened.
        let resets = samples.filter { $0.name == "cim_monitor_stream_resets_total" && $0.value > 0 }.map { "\($0.labels)" }
        print("DR drill: after the restore the monitor \(resets.isEmpty ? "resumed from its snapshot" : "started the stream again: \(resets)")")
        let replayAfter = try await CommandRunner.run(
            try CommandRunner.cimMonitor(),
            ["replay", Bench.stream, "--aggregate", "order-42", "--server", second.url]
        )
        #expect(replayAfter.status == 0)
        #expect(replayAfter.outputText == replayBefore.outputText)
        await client.close()
    }
}

func formatSeconds(_ duration: Duration) -> String {
    String(format: "%.2fs", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
}
