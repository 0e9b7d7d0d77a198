import GPUTelemetry
import Testing

@testable import EventMetrics

/// GPU events into `cim_gpu_*`: gauges hold the last sample, counters count events, a silent GPU goes down, and the
/// state survives a snapshot.
@Suite struct GPUFoldTests {
    static let t0 = 1_780_000_000.0

    static func h200(_ index: Int = 0) -> GPUReading {
        var reading = GPUReading(gpu: "GPU-\(index)", index: index, model: "NVIDIA H200")
        reading.utilizationGPU = 1
        reading.utilizationMemory = 0.07
        reading.memoryUsedBytes = 32_362 * 1_048_576
        reading.memoryTotalBytes = 143_771 * 1_048_576
        reading.temperatureGPUCelsius = 52
        reading.temperatureMemoryCelsius = 40
        reading.powerWatts = 627.4
        reading.powerLimitWatts = 700
        reading.energyJoules = 123_456.789
        reading.clockSMHertz = 1_980_000_000
        reading.clockMemoryHertz = 3_201_000_000
        reading.throttleReasons = [.thermal]
        reading.memoryReservedBytes = 614 * 1_048_576
        reading.remappedRowsCorrectable = 3
        reading.remappedRowsUncorrectable = 0
        return reading
    }

    static func sampled(_ readings: [GPUReading], at time: Double, node: String = "n1") -> GPUEvent {
        var event = GPUEvent(
            eventID: GPUEventClock.eventID(at: time),
            eventType: .sampled,
            occurredAt: GPUEventClock.timestamp(time),
            node: node,
            vendor: .nvidia
        )
        event.intervalSeconds = 10
        event.driver = "590.48.01"
        event.gpus = readings
        return event
    }

    static func fold(_ events: [GPUEvent], at time: Double) -> MetricsFold {
        var fold = MetricsFold()
        for (sequence, event) in events.enumerated() {
            GPUEventCodec.encode(event).withUnsafeBytes { fold.foldGPU(payload: $0, storedAt: time) }
            fold.lastSequence = UInt64(sequence + 1)
        }
        return fold
    }

    /// `family{labels} value` lines of the GPU families, sorted, with the common GPU labels left out.
    static func lines(_ fold: MetricsFold, now: Double) -> [String] {
        fold.families(now: now).filter { $0.name.hasPrefix("cim_gpu_") }.flatMap { family in
            family.series.map { series in
                let labels = series.labels.filter {
                    !["node", "vendor", "gpu", "index", "model", "mig_instance"].contains($0.name) || family.name == "cim_gpu_samples_total"
                }
                let text = labels.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
                let value: String
                switch series.value {
                case .count(let count): value = String(count)
                case .number(let number): value = String(number)
                case .histogram: value = "histogram"
                }
                return "\(family.name){\(text)} \(value)"
            }
        }.sorted()
    }

    @Test func gaugesHoldTheLastSample() {
        let fold = Self.fold([Self.sampled([Self.h200()], at: Self.t0)], at: Self.t0)
        let lines = Self.lines(fold, now: Self.t0 + 1)
        #expect(lines.contains("cim_gpu_info{driver=590.48.01} 1.0"))
        #expect(lines.contains("cim_gpu_up{} 1.0"))
        #expect(lines.contains("cim_gpu_utilization_ratio{engine=gpu} 1.0"))
        #expect(lines.contains("cim_gpu_utilization_ratio{engine=memory} 0.07"))
        #expect(lines.contains("cim_gpu_memory_used_bytes{} \(32_362 * 1_048_576)"))
        #expect(lines.contains("cim_gpu_memory_total_bytes{} 150754820096"))
        #expect(lines.contains("cim_gpu_temperature_celsius{sensor=gpu} 52.0"))
        #expect(lines.contains("cim_gpu_temperature_celsius{sensor=memory} 40.0"))
        #expect(lines.contains("cim_gpu_power_watts{} 627.4"))
        #expect(lines.contains("cim_gpu_power_limit_watts{} 700.0"))
        #expect(lines.contains("cim_gpu_energy_joules_total{} 123456.789"))
        #expect(lines.contains("cim_gpu_clock_hertz{domain=sm} 1980000000.0"))
        #expect(lines.contains("cim_gpu_clock_hertz{domain=memory} 3201000000.0"))
        #expect(lines.contains("cim_gpu_throttle_active{reason=thermal} 1.0"))
        #expect(lines.contains("cim_gpu_throttle_active{reason=power_cap} 0.0"))
        #expect(lines.contains("cim_gpu_samples_total{node=n1} 1"))
        #expect(lines.contains("cim_gpu_memory_reserved_bytes{} \(614 * 1_048_576)"))
        #expect(lines.contains("cim_gpu_remapped_rows{kind=correctable} 3"))
        #expect(lines.contains("cim_gpu_remapped_rows{kind=uncorrectable} 0"))
        // absent in the reading: no series, never 0
        #expect(!lines.contains { $0.hasPrefix("cim_gpu_retired_pages") })
        #expect(!lines.contains { $0.hasPrefix("cim_gpu_clock_hertz{domain=graphics}") })
        #expect(!lines.contains { $0.hasPrefix("cim_gpu_utilization_ratio{engine=renderer}") })
    }

    @Test func everyGPUSeriesCarriesTheContractLabels() throws {
        var mig = GPUReading(gpu: "GPU-0", index: 0, model: "NVIDIA H200", migInstance: "MIG-a")
        mig.memoryUsedBytes = 5
        let fold = Self.fold([Self.sampled([Self.h200(), mig], at: Self.t0)], at: Self.t0)
        let used = try #require(fold.families(now: Self.t0).first { $0.name == "cim_gpu_memory_used_bytes" })
        #expect(used.series.map { $0.labels.map(\.name) } == Array(repeating: ["node", "vendor", "gpu", "index", "model", "mig_instance"], count: 2))
        #expect(
            used.series.map { $0.labels.map(\.value) }.sorted { $0.last! < $1.last! } == [
                ["n1", "nvidia", "GPU-0", "0", "NVIDIA H200", ""], ["n1", "nvidia", "GPU-0", "0", "NVIDIA H200", "MIG-a"],
            ]
        )
    }

    @Test func aGPUSilentForThreeIntervalsIsDownAndItsGaugesAreNotShown() {
        let fold = Self.fold([Self.sampled([Self.h200()], at: Self.t0)], at: Self.t0)
        #expect(Self.lines(fold, now: Self.t0 + 30).contains("cim_gpu_up{} 1.0"))
        let late = Self.lines(fold, now: Self.t0 + 30.5)
        #expect(late.contains("cim_gpu_up{} 0.0"))
        #expect(late.contains("cim_gpu_info{driver=590.48.01} 1.0"))
        #expect(late.contains("cim_gpu_energy_joules_total{} 123456.789"))
        #expect(
            !late.contains {
                $0.hasPrefix("cim_gpu_power_watts") || $0.hasPrefix("cim_gpu_utilization_ratio") || $0.hasPrefix("cim_gpu_throttle_active")
            }
        )
    }

    @Test func countersCountXidAndECCEvents() {
        var xid = GPUEvent(
            eventID: "a",
            eventType: .xidError,
            occurredAt: GPUEventClock.timestamp(Self.t0),
            node: "n1",
            vendor: .nvidia,
            about: Self.h200()
        )
        xid.xid = 79
        var ecc = GPUEvent(
            eventID: "b",
            eventType: .eccError,
            occurredAt: GPUEventClock.timestamp(Self.t0),
            node: "n1",
            vendor: .nvidia,
            about: Self.h200()
        )
        ecc.bit = "double"
        ecc.count = 3
        let fold = Self.fold([xid, xid, ecc, ecc], at: Self.t0)
        let lines = Self.lines(fold, now: Self.t0)
        #expect(lines.contains("cim_gpu_xid_errors_total{xid=79} 2"))
        #expect(lines.contains("cim_gpu_ecc_errors_total{bit=double} 6"))
    }

    @Test func garbageIsCountedAsRejectedAndFoldsNothing() {
        var fold = MetricsFold()
        for payload in ["", "{", #"{"event_type":"sampled"}"#, "\u{FF}"] {
            Array(payload.utf8).withUnsafeBytes { fold.foldGPU(payload: $0, storedAt: Self.t0) }
        }
        #expect(fold.gpu.rejected == 4)
        #expect(Self.lines(fold, now: Self.t0).isEmpty)
    }

    @Test func anOlderSampleReadLateDoesNotReplaceANewerOne() {
        var newer = Self.h200()
        newer.powerWatts = 100
        var fold = MetricsFold()
        for (event, time) in [(Self.sampled([newer], at: Self.t0 + 10), Self.t0 + 10), (Self.sampled([Self.h200()], at: Self.t0), Self.t0)] {
            GPUEventCodec.encode(event).withUnsafeBytes { fold.foldGPU(payload: $0, storedAt: time) }
        }
        #expect(Self.lines(fold, now: Self.t0 + 10).contains("cim_gpu_power_watts{} 100.0"))
    }

    @Test func theStateSurvivesASnapshot() throws {
        var xid = GPUEvent(
            eventID: "a",
            eventType: .xidError,
            occurredAt: GPUEventClock.timestamp(Self.t0),
            node: "n1",
            vendor: .nvidia,
            about: Self.h200()
        )
        xid.xid = 48
        let fold = Self.fold([Self.sampled([Self.h200(0), Self.h200(1)], at: Self.t0), xid], at: Self.t0)
        let bytes = fold.snapshot()
        let restored = try MetricsFold(snapshot: bytes)
        #expect(restored == fold)
        #expect(restored.snapshot() == bytes)
        #expect(Self.lines(restored, now: Self.t0 + 1) == Self.lines(fold, now: Self.t0 + 1))
    }
}
