import CIMEvents
import EventMetrics
import Foundation
import Monitor
import NATS
import NATSCore
import NATSTestSupport
import NIOCore
import Testing

/// Issue 10 ("Hardening") for `cim-monitor serve`'s streams and snapshots: the built binary against a real
/// nats-server, with exact counts, as in `ServeAcceptanceTests` (whose bench and workload these tests use).
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StreamHardeningTests {
    @Test(.timeLimit(.minutes(1)))
    func aDeletedAndRecreatedStreamIsCountedAgainFromItsFirstMessage() async throws {
        try await withBench { bench in
            try await bench.jetStream.createStream(StreamConfig(name: "MONITOR_EVENTS", subjects: ["cim.monitor.recreate.>"]))
            let old = Workload(count: 300, seed: 21)
            try await bench.publish(old)
            let monitor = try bench.monitor(instance: "recreate")
            try monitor.start()
            try await monitor.waitUntilServing()
            _ = try await waitCaughtUp(monitor, streamLastSequence: 300)

            try await bench.jetStream.deleteStream(Bench.stream)
            try await bench.jetStream.createStream(StreamConfig(name: Bench.stream, subjects: ["cim.*.events.>"]))
            let new = Workload(count: 120, seed: 22)
            try await bench.publish(new)
            let truth = old.truth.merging(new.truth, uniquingKeysWith: +)
            var samples = try await waitCaughtUp(monitor, streamLastSequence: 120)
            #expect(eventCounts(samples) == truth, "\(difference(eventCounts(samples), truth))")
            #expect(eventCounts(samples).values.reduce(0, +) == 420)
            #expect(sampleValue(samples, "cim_monitor_stream_resets_total", ["stream": Bench.stream, "reason": "recreated"]) == 1)
            var resets: [[String: String]] = []
            #expect(
                try await poll(5) {
                    resets = try await bench.selfEvents(instance: "recreate").filter { $0.kind == "stream_reset" }.map(\.payload)
                    return !resets.isEmpty
                }
            )
            #expect(resets.count == 1, "\(resets)")
            #expect(resets.first?["stream"] == Bench.stream && resets.first?["reason"] == "recreated", "\(resets)")
            #expect(resets.first?["old_sequence"] == "300", "\(resets)")

            // A crash after the reset: the snapshot names the new stream, so the restart resumes exactly.
            try await Task.sleep(for: .seconds(1))
            monitor.kill()
            try monitor.start()
            samples = try await waitCaughtUp(monitor, streamLastSequence: 120)
            #expect(eventCounts(samples) == truth, "\(difference(eventCounts(samples), truth))")
            #expect(sampleValue(samples, "cim_monitor_stream_resets_total", ["stream": Bench.stream, "reason": "recreated"]) == 1)
            #expect(monitor.stdout.isEmpty && monitor.stderr.isEmpty, "\(monitor.stderr.prefix(2000))")
        }
    }

    /// Recreated while the monitor was stopped, and longer than before: only the stream's identity in the snapshot tells.
    @Test(.timeLimit(.minutes(1)))
    func aStreamRecreatedWhileTheMonitorWasStoppedIsCountedFromItsFirstMessage() async throws {
        try await withBench { bench in
            let old = Workload(count: 100, seed: 30)
            try await bench.publish(old)
            let monitor = try bench.monitor(instance: "offline")
            try monitor.start()
            try await monitor.waitUntilServing()
            _ = try await waitCaughtUp(monitor, streamLastSequence: 100)
            #expect(await monitor.terminate() == 0)

            try await bench.jetStream.deleteStream(Bench.stream)
            try await bench.jetStream.createStream(StreamConfig(name: Bench.stream, subjects: ["cim.*.events.>"]))
            let new = Workload(count: 150, seed: 31)
            try await bench.publish(new)
            try monitor.start()
            let samples = try await waitCaughtUp(monitor, streamLastSequence: 150)
            let truth = old.truth.merging(new.truth, uniquingKeysWith: +)
            #expect(eventCounts(samples) == truth, "\(difference(eventCounts(samples), truth))")
            #expect(sampleValue(samples, "cim_monitor_events_processed_total") == 250)
            #expect(sampleValue(samples, "cim_monitor_stream_resets_total", ["stream": Bench.stream, "reason": "recreated"]) == 1)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aSnapshotAheadOfItsStreamIsResetAndTheStreamCountedFromItsFirstMessage() async throws {
        try await withBench { bench in
            try await bench.jetStream.createStream(StreamConfig(name: "MONITOR_EVENTS", subjects: ["cim.monitor.ahead.>"]))
            // A snapshot that folded 500 messages, of a stream that now holds only 100.
            var fold = MetricsFold(duplicateWindow: 50_000)
            for sequence in 1...500 {
                fold.fold(Event(domain: "orders", aggregateType: "order", eventType: "placed"), storedAt: nil, sequence: UInt64(sequence))
            }
            let store = try await bench.jetStream.createKeyValue(bucket: "CIM_MONITOR", history: 1)
            try await store.put("ahead.\(Bench.stream)", fold.snapshot())
            let workload = Workload(count: 100, seed: 23)
            try await bench.publish(workload)

            let monitor = try bench.monitor(instance: "ahead")
            try monitor.start()
            try await monitor.waitUntilServing()
            let samples = try await waitCaughtUp(monitor, streamLastSequence: 100)
            let truth = workload.truth.merging([Labels("orders", "order", "placed"): 500], uniquingKeysWith: +)
            #expect(eventCounts(samples) == truth, "\(difference(eventCounts(samples), truth))")
            #expect(sampleValue(samples, "cim_monitor_stream_resets_total", ["stream": Bench.stream, "reason": "snapshot_ahead"]) == 1)
            var reset: [String: String]?
            #expect(
                try await poll(5) {
                    reset = try await bench.selfEvents(instance: "ahead").first { $0.kind == "stream_reset" }?.payload
                    return reset != nil
                }
            )
            #expect(reset?["reason"] == "snapshot_ahead" && reset?["old_sequence"] == "500" && reset?["new_sequence"] == "100", "\(reset ?? [:])")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aStreamWhoseNameIsNotAKVKeyIsFoldedSnapshottedAndResumedExactly() async throws {
        try await withBench(eventStream: false) { bench in
            let name = #"Q{"é"}"#
            try await bench.jetStream.createStream(StreamConfig(name: name, subjects: ["cim.*.events.>"]))
            let first = Workload(count: 200, seed: 24)
            try await bench.publish(first)
            let monitor = try bench.monitor(instance: "odd", streams: [name])
            try monitor.start()
            try await monitor.waitUntilServing()
            var samples = try await waitCaughtUp(monitor, streamLastSequence: 200, stream: name, timeout: 15)
            #expect(eventCounts(samples) == first.truth, "\(difference(eventCounts(samples), first.truth))")

            let store = try await bench.jetStream.keyValue(bucket: "CIM_MONITOR")
            let key = SnapshotKey.key(instance: "odd", stream: name)
            var saved: UInt64 = 0
            #expect(
                try await poll(5) {
                    saved = try await store.get(key).map { try MetricsFold(snapshot: $0.value).lastSequence } ?? 0
                    return saved == 200
                },
                "snapshot at \(saved)"
            )
            monitor.kill()
            let second = Workload(count: 150, seed: 25)
            try await bench.publish(second)
            try monitor.start()
            samples = try await waitCaughtUp(monitor, streamLastSequence: 350, stream: name, timeout: 15)
            let truth = first.truth.merging(second.truth, uniquingKeysWith: +)
            #expect(eventCounts(samples) == truth, "\(difference(eventCounts(samples), truth))")
            #expect(sampleValue(samples, "cim_monitor_events_processed_total") == 350)
            #expect(monitor.stdout.isEmpty && monitor.stderr.isEmpty, "\(monitor.stderr.prefix(2000))")
        }
    }

    /// `/readyz` is about being connected and caught up on the streams that exist: a configured stream that does not
    /// exist (yet) is waited for, reported, and folded once it appears, without making the monitor unready meanwhile.
    @Test(.timeLimit(.minutes(1)))
    func aMissingStreamIsWaitedForWithoutHoldingReadinessHostage() async throws {
        try await withBench { bench in
            try await bench.jetStream.createStream(StreamConfig(name: "MONITOR_EVENTS", subjects: ["cim.monitor.partial.>"]))
            let workload = Workload(count: 100, seed: 29)
            try await bench.publish(workload)
            let monitor = try bench.monitor(instance: "partial", streams: [Bench.stream, "LATER"])
            try monitor.start()
            try await monitor.waitUntilServing()
            var samples = try await waitCaughtUp(monitor, streamLastSequence: 100, timeout: 15)
            #expect(eventCounts(samples) == workload.truth)
            #expect(sampleValue(samples, "cim_monitor_stream_waiting", ["stream": "LATER"]) == 1)
            #expect(sampleValue(samples, "cim_monitor_stream_waiting", ["stream": Bench.stream]) == 0)
            var kinds: [[String: String]] = []
            #expect(
                try await poll(5) {
                    kinds = try await bench.selfEvents(instance: "partial").filter { $0.kind == "stream_missing" }.map(\.payload)
                    return !kinds.isEmpty
                }
            )
            #expect(kinds.count == 1 && kinds.first?["stream"] == "LATER", "\(kinds)")

            try await bench.jetStream.createStream(StreamConfig(name: "LATER", subjects: ["later.>"]))
            for index in 1...10 { try await bench.jetStream.publish(ByteBuffer(string: #"{"n":\#(index)}"#), to: "later.events.thing.done") }
            samples = try await waitCaughtUp(monitor, streamLastSequence: 10, stream: "LATER", timeout: 15)
            #expect(sampleValue(samples, "cim_monitor_stream_waiting", ["stream": "LATER"]) == 0)
            #expect(sampleValue(samples, "cim_monitor_events_processed_total") == 110)
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["garbage", "truncated"])
    func anInvalidSnapshotIsReportedAndTheStreamRecountedExactly(_ kind: String) async throws {
        try await withBench { bench in
            try await bench.jetStream.createStream(StreamConfig(name: "MONITOR_EVENTS", subjects: ["cim.monitor.invalid.>"]))
            var fold = MetricsFold()
            for sequence in 1...50 {
                fold.fold(Event(domain: "orders", aggregateType: "order", eventType: "placed"), storedAt: nil, sequence: UInt64(sequence))
            }
            let snapshot = fold.snapshot()
            let bytes = kind == "garbage" ? Array("not a snapshot at all".utf8) : Array(snapshot.prefix(snapshot.count / 2))
            let store = try await bench.jetStream.createKeyValue(bucket: "CIM_MONITOR", history: 1)
            try await store.put("invalid.\(Bench.stream)", bytes)
            let workload = Workload(count: 200, seed: 26)
            try await bench.publish(workload)

            let monitor = try bench.monitor(instance: "invalid")
            try monitor.start()
            try await monitor.waitUntilServing()
            let samples = try await waitCaughtUp(monitor, streamLastSequence: 200)
            #expect(eventCounts(samples) == workload.truth, "\(difference(eventCounts(samples), workload.truth))")
            #expect(sampleValue(samples, "cim_monitor_events_processed_total") == 200)
            #expect(sampleValue(samples, "cim_monitor_stream_resets_total", ["stream": Bench.stream, "reason": "snapshot_invalid"]) == 1)
            var invalid: [String: String]?
            #expect(
                try await poll(5) {
                    invalid = try await bench.selfEvents(instance: "invalid").first { $0.kind == "snapshot_invalid" }?.payload
                    return invalid != nil
                }
            )
            #expect(invalid?["stream"] == Bench.stream, "\(invalid ?? [:])")
            #expect(invalid?["reason"]?.contains(kind == "garbage" ? "not a metrics snapshot" : "truncated") == true, "\(invalid ?? [:])")
            // The invalid snapshot is replaced by a good one.
            #expect(try await poll(5) { try await store.get("invalid.\(Bench.stream)").map { try MetricsFold(snapshot: $0.value) } != nil })
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aDeletedSnapshotBucketIsRecreatedAndCountsStayExactAcrossACrash() async throws {
        try await withBench { bench in
            try await bench.jetStream.createStream(StreamConfig(name: "MONITOR_EVENTS", subjects: ["cim.monitor.bucket.>"]))
            let first = Workload(count: 300, seed: 27)
            try await bench.publish(first)
            let monitor = try bench.monitor(instance: "bucket")
            try monitor.start()
            try await monitor.waitUntilServing()
            _ = try await waitCaughtUp(monitor, streamLastSequence: 300)

            try await bench.jetStream.deleteKeyValue(bucket: "CIM_MONITOR")
            let second = Workload(count: 200, seed: 28)
            try await bench.publish(second)
            _ = try await waitCaughtUp(monitor, streamLastSequence: 500)
            var saved: UInt64 = 0
            #expect(
                try await poll(10) {
                    let store = try await bench.jetStream.keyValue(bucket: "CIM_MONITOR")
                    saved = try await store.get("bucket.\(Bench.stream)").map { try MetricsFold(snapshot: $0.value).lastSequence } ?? 0
                    return saved == 500
                },
                "snapshot at \(saved)"
            )
            let kinds = try await bench.selfEvents(instance: "bucket").map(\.kind)
            #expect(kinds.contains("snapshot_bucket_recreated"), "\(kinds)")

            monitor.kill()
            try monitor.start()
            let samples = try await waitCaughtUp(monitor, streamLastSequence: 500)
            let truth = first.truth.merging(second.truth, uniquingKeysWith: +)
            #expect(eventCounts(samples) == truth, "\(difference(eventCounts(samples), truth))")
            #expect(sampleValue(samples, "cim_monitor_events_processed_total") == 500)
        }
    }
}
