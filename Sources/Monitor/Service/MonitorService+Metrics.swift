import EventMetrics
import Foundation
import NATS
import Synchronization

extension MonitorService {
    /// Everything `/metrics` shows: the folds of all streams merged, the monitor's own metrics, `process_*`.
    public func families() -> [MetricFamily] {
        let (workers, coreFamilies, mode, reconnects, lastSnapshot) = state.withLock { state in
            (
                Array(state.workers.values).sorted { $0.stream < $1.stream }, state.coreFold?.fold.families() ?? [], state.mode,
                state.reconnects, state.lastSnapshot
            )
        }
        var sources = workers.map { $0.families() }
        if !coreFamilies.isEmpty { sources.append(coreFamilies) }
        var own: [MetricFamily] = []
        func add(_ name: String, _ help: String, _ type: MetricType, _ series: [MetricSeries]) {
            if let family = try? MetricFamily(name: name, help: help, type: type, series: series) { own.append(family) }
        }
        let statuses = workers.map { ($0.stream, $0.currentStatus) }
        add(
            "cim_monitor_stream_sequence",
            "Last stream sequence folded.",
            .gauge,
            statuses.map { MetricSeries(["stream": $0.0], value: .number(Double($0.1.lastSequence))) }
        )
        add(
            "cim_monitor_stream_pending_messages",
            "Messages in the stream not yet folded.",
            .gauge,
            statuses.map { MetricSeries(["stream": $0.0], value: .number(Double($0.1.pending))) }
        )
        add(
            "cim_monitor_events_missed_total",
            "Messages that retention removed before they were folded.",
            .counter,
            statuses.map { MetricSeries(["stream": $0.0], value: .count($0.1.missed)) }
        )
        add(
            "cim_monitor_stream_resets_total",
            "Times folding went on at a new stream's first message (recreated, snapshot_ahead) or recounted the stream (snapshot_invalid).",
            .counter,
            workers.flatMap { worker in
                worker.streamResets().sorted { $0.key < $1.key }.map {
                    MetricSeries(["stream": worker.stream, "reason": $0.key], value: .count($0.value))
                }
            }
        )
        add(
            "cim_monitor_stream_waiting",
            "1 while the stream does not exist (deleted, or not created yet) and the monitor waits for it.",
            .gauge,
            statuses.map { MetricSeries(["stream": $0.0], value: .number($0.1.waitingForStream ? 1 : 0)) }
        )
        add(
            "cim_monitor_snapshot_failures_total",
            "Snapshot saves that failed since the monitor started.",
            .counter,
            statuses.map { MetricSeries(["stream": $0.0], value: .count($0.1.snapshotFailures)) }
        )
        add(
            "cim_monitor_nats_connected",
            "1 when connected to NATS.",
            .gauge,
            [MetricSeries(value: .number(client.isConnected ? 1 : 0))]
        )
        add(
            "cim_monitor_nats_reconnects_total",
            "Reconnects to NATS since start.",
            .counter,
            [MetricSeries(value: .count(UInt64(reconnects)))]
        )
        add(
            "cim_monitor_snapshot_timestamp_seconds",
            "When the last snapshot was saved (unix seconds).",
            .gauge,
            [MetricSeries(value: .number(lastSnapshot))]
        )
        add(
            "cim_monitor_ready",
            "1 when /readyz answers 200: connected to NATS, and every existing stream caught up and consuming.",
            .gauge,
            [MetricSeries(value: .number(notReadyReason() == nil ? 1 : 0))]
        )
        add("cim_active_event_streams", "Event streams being folded.", .gauge, [MetricSeries(value: .number(Double(workers.count)))])
        add(
            "cim_monitor_mode",
            "How events are consumed: jetstream (exact) or core (at most once).",
            .gauge,
            [Mode.jetstream, .core].map { MetricSeries(["mode": $0.rawValue], value: .number(mode == $0 ? 1 : 0)) }
        )
        sources.append(own)
        sources.append(ProcessMetrics.families())
        return MetricFamily.merge(sources)
    }

    /// Why the monitor is not ready, or `nil` when it is.
    ///
    /// Ready means: connected to NATS, and every stream that exists is caught up (pending under the limit) and
    /// consuming (messages or heartbeats in the last 15 seconds). Only those reasons count. A stream that does not
    /// exist (deleted, waiting for it: `cim_monitor_stream_waiting`) has nothing to catch up on, and failing
    /// snapshots (`snapshot_failed`, `cim_monitor_snapshot_failures_total`) put exactness across a restart at risk,
    /// not the counts served now: neither makes the other streams' monitor unready.
    public func notReadyReason() -> String? {
        guard client.isConnected else { return "not connected to NATS" }
        let (mode, workers, discovered) = state.withLock { ($0.mode, Array($0.workers.values), $0.discovered) }
        switch mode {
        case .starting: return "starting"
        case .core: return nil
        case .jetstream: break
        }
        guard discovered else { return "looking for event streams" }
        for worker in workers.sorted(by: { $0.stream < $1.stream }) {
            let status = worker.currentStatus
            if status.waitingForStream { continue }
            if !status.caughtUp || status.pending > settings.readyPendingLimit {
                return "catching up on \(worker.stream): \(status.pending) messages pending"
            }
            if status.stalled { return "no messages or heartbeats from \(worker.stream) for \(StreamWorker.stallThreshold)" }
        }
        return nil
    }
}
