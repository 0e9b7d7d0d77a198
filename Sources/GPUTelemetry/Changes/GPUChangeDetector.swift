/// Turns consecutive samples into discrete events: pure, no I/O, no clock (ids and times are handed in).
///
/// - `gpu_found` when a GPU answers for the first time or again after it was lost; `gpu_lost` when a GPU seen
///   before is missing from a sample (once, until it is found again);
/// - `throttled` / `throttle_cleared` when a fault reason (see ``GPUThrottleReason/isFault``) starts or ends;
/// - `ecc_error` when a volatile ECC count grows (by the growth; a count that went down, as after a reset, is
///   a new baseline, not an event; the first sample of a GPU is its baseline);
/// - `xid_error` for every Xid the sample carries;
/// - `driver_unavailable` when sampling fails (once), `recovered` at the next successful sample.
public struct GPUChangeDetector: Sendable {
    private var previous: [String: GPUReading] = [:]
    private var lost: Set<String> = []
    private var driverDown = false

    public init() {}

    /// The events for a successful sample.
    public mutating func sampled(_ sample: GPUSample, node: String, at occurredAt: String, newID: () -> String) -> [GPUEvent] {
        var events: [GPUEvent] = []
        func event(_ type: GPUEventType, _ reading: GPUReading?) -> GPUEvent {
            GPUEvent(eventID: newID(), eventType: type, occurredAt: occurredAt, node: node, vendor: sample.vendor, about: reading)
        }
        if driverDown {
            driverDown = false
            events.append(event(.recovered, nil))
        }
        var seen: Set<String> = []
        for reading in sample.readings {
            let key = Self.key(reading)
            seen.insert(key)
            guard let before = previous[key], !lost.contains(key) else {
                if reading.migInstance == nil { events.append(event(.gpuFound, reading)) }
                lost.remove(key)
                previous[key] = reading
                continue
            }
            let was = Set((before.throttleReasons ?? []).filter(\.isFault))
            let now = Set((reading.throttleReasons ?? []).filter(\.isFault))
            if before.throttleReasons != nil, reading.throttleReasons != nil {
                for reason in GPUThrottleReason.allCases where now.contains(reason) != was.contains(reason) {
                    var change = event(now.contains(reason) ? .throttled : .throttleCleared, reading)
                    change.reason = reason
                    events.append(change)
                }
            }
            for (bit, old, new) in [
                ("single", before.eccCorrectedVolatile, reading.eccCorrectedVolatile),
                ("double", before.eccUncorrectedVolatile, reading.eccUncorrectedVolatile),
            ] {
                guard let old, let new, new > old else { continue }
                var change = event(.eccError, reading)
                change.bit = bit
                change.scope = "volatile"
                change.count = new - old
                change.errorType = "ecc_" + bit
                events.append(change)
            }
            previous[key] = reading
        }
        for (key, reading) in previous.sorted(by: { $0.key < $1.key }) where !seen.contains(key) && !lost.contains(key) {
            lost.insert(key)
            guard reading.migInstance == nil else { continue }
            var change = event(.gpuLost, reading)
            change.error = sample.lost[reading.gpu] ?? "no longer reported by the driver"
            events.append(change)
        }
        for (gpu, xid) in sample.xids {
            let reading =
                sample.readings.first { $0.gpu == gpu && $0.migInstance == nil } ?? previous[gpu] ?? GPUReading(gpu: gpu, index: -1, model: "unknown")
            var change = event(.xidError, reading)
            change.xid = xid
            change.errorType = "xid_\(xid)"
            events.append(change)
        }
        return events
    }

    /// The event for a failed sample: `driver_unavailable` the first time, nothing while it stays down.
    public mutating func failed(_ error: String, vendor: GPUVendor, node: String, at occurredAt: String, newID: () -> String) -> [GPUEvent] {
        guard !driverDown else { return [] }
        driverDown = true
        var event = GPUEvent(eventID: newID(), eventType: .driverUnavailable, occurredAt: occurredAt, node: node, vendor: vendor)
        event.error = error
        return [event]
    }

    static func key(_ reading: GPUReading) -> String {
        reading.migInstance.map { reading.gpu + "/" + $0 } ?? reading.gpu
    }
}
