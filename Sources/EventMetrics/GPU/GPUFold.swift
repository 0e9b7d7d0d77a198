import GPUTelemetry

/// The GPU part of a stream's fold: GPU events (`cim.gpu.<node>.<event>`, see ``GPUEvent``) into `cim_gpu_*`.
///
/// Gauges hold the last `sampled` reading of each GPU and MIG instance; counters count events (`ecc_error` by its
/// count, `xid_error` by one, `sampled` per node). A GPU whose last sample is older than 3 of its agent's intervals
/// is down (`cim_gpu_up` 0) and its gauges are left out, so a dead agent's last reading is never shown as fresh.
/// Pure: times come with the calls. The whole state is saved in the stream's snapshot, so counters stay exact
/// across monitor restarts.
public struct GPUFold: Sendable, Equatable, Codable {
    /// How many GPUs (and MIG instances) one fold tracks; more are not folded (bounded memory and series).
    public static let maxGPUs = 4096
    /// How many intervals without a sample make a GPU down.
    public static let missedIntervals = 3.0

    /// The labels every GPU series carries.
    struct Labels: Hashable, Codable, Sendable {
        var node: String
        var vendor: String
        var gpu: String
        var index: Int
        var model: String
        var migInstance: String

        var metricLabels: [MetricLabel] {
            [
                MetricLabel("node", node), MetricLabel("vendor", vendor), MetricLabel("gpu", gpu), MetricLabel("index", String(index)),
                MetricLabel("model", model), MetricLabel("mig_instance", migInstance),
            ]
        }
    }

    /// The last reading of one GPU or MIG instance.
    struct Last: Equatable, Codable, Sendable {
        var labels: Labels
        var driver: String
        var seenAt: Double
        var intervalSeconds: Double
        var reading: GPUReading
    }

    /// A counter of one GPU: `ecc` (extra = bit) or `xid` (extra = the code).
    struct CounterKey: Hashable, Codable, Sendable {
        var labels: Labels
        var kind: String
        var extra: String
    }

    /// Last readings by node, GPU id and MIG instance.
    var last: [String: Last] = [:]
    var counters: [CounterKey: UInt64] = [:]
    var samples: [String: UInt64] = [:]
    /// GPU events that could not be decoded (counted, never folded).
    public internal(set) var rejected: UInt64 = 0

    public init() {}

    /// Folds one GPU event's payload. `seenAt` is when it happened for staleness: its store time when known, else
    /// its `occurred_at`. A payload that is not a GPU event is counted in ``rejected`` and changes nothing else.
    public mutating func fold(payload: UnsafeRawBufferPointer, storedAt: Double?) {
        guard let event = GPUEventCodec.decode(payload) else {
            rejected &+= 1
            return
        }
        fold(event, seenAt: storedAt ?? GPUEventClock.seconds(event.occurredAt))
    }

    /// Folds one decoded event.
    public mutating func fold(_ event: GPUEvent, seenAt: Double?) {
        switch event.eventType {
        case .sampled:
            samples[event.node, default: 0] &+= 1
            guard let seenAt, seenAt.isFinite else { return }
            let interval = min(max(event.intervalSeconds ?? 10, 0.1), 86_400)
            for reading in event.gpus ?? [] {
                let key = event.node + "\u{0}" + reading.gpu + "\u{0}" + (reading.migInstance ?? "")
                guard last[key] != nil || last.count < Self.maxGPUs else { continue }
                if let previous = last[key], previous.seenAt > seenAt { continue }  // an older sample read late
                let labels = Labels(
                    node: event.node,
                    vendor: event.vendor.rawValue,
                    gpu: reading.gpu,
                    index: reading.index,
                    model: reading.model,
                    migInstance: reading.migInstance ?? ""
                )
                last[key] = Last(labels: labels, driver: event.driver ?? "", seenAt: seenAt, intervalSeconds: interval, reading: reading)
            }
        case .eccError:
            guard let labels = labels(of: event), let bit = event.bit, bit == "single" || bit == "double", let count = event.count else { return }
            add(CounterKey(labels: labels, kind: "ecc", extra: bit), count)
        case .xidError:
            guard let labels = labels(of: event), let xid = event.xid, xid >= 0 else { return }
            add(CounterKey(labels: labels, kind: "xid", extra: String(xid)), 1)
        case .throttled, .throttleCleared, .gpuLost, .gpuFound, .driverUnavailable, .recovered:
            return  // counted in cim_events_total like every event; the gauges come from samples
        }
    }

    private mutating func add(_ key: CounterKey, _ amount: UInt64) {
        guard counters[key] != nil || counters.count < Self.maxGPUs * 4 else { return }
        counters[key, default: 0] &+= amount
    }

    private func labels(of event: GPUEvent) -> Labels? {
        guard let gpu = event.gpu else { return nil }
        return Labels(
            node: event.node,
            vendor: event.vendor.rawValue,
            gpu: gpu,
            index: event.index ?? -1,
            model: event.model ?? "unknown",
            migInstance: event.migInstance ?? ""
        )
    }
}
