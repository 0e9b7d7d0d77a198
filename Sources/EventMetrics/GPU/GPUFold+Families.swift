import GPUTelemetry

extension GPUFold {
    /// The family names, in exposition order.
    public static let familyNames = [
        "cim_gpu_info", "cim_gpu_up", "cim_gpu_utilization_ratio", "cim_gpu_memory_used_bytes", "cim_gpu_memory_total_bytes",
        "cim_gpu_memory_reserved_bytes", "cim_gpu_temperature_celsius", "cim_gpu_power_watts", "cim_gpu_power_limit_watts",
        "cim_gpu_energy_joules_total",
        "cim_gpu_clock_hertz", "cim_gpu_throttle_active", "cim_gpu_ecc_errors_total", "cim_gpu_xid_errors_total", "cim_gpu_samples_total",
        "cim_gpu_retired_pages", "cim_gpu_remapped_rows",
    ]

    /// The `cim_gpu_*` families at unix time `now` (which decides `cim_gpu_up` and whether gauges are shown).
    /// Every family is present, with or without series.
    public func families(now: Double) -> [MetricFamily] {
        var series: [String: [MetricSeries]] = [:]
        func add(_ family: String, _ labels: [MetricLabel], _ value: Double?) {
            guard let value, value.isFinite else { return }
            series[family, default: []].append(MetricSeries(labels: labels, value: .number(value)))
        }
        func add(_ family: String, _ labels: [MetricLabel], count: UInt64?) {
            guard let count else { return }
            series[family, default: []].append(MetricSeries(labels: labels, value: .count(count)))
        }
        for entry in last.values {
            let labels = entry.labels.metricLabels
            let reading = entry.reading
            add("cim_gpu_info", labels + [MetricLabel("driver", entry.driver)], 1)
            let fresh = now - entry.seenAt <= Self.missedIntervals * entry.intervalSeconds
            add("cim_gpu_up", labels, fresh ? 1 : 0)
            if let energy = reading.energyJoules, energy >= 0 { add("cim_gpu_energy_joules_total", labels, energy) }
            guard fresh else { continue }
            for (engine, value) in [
                ("gpu", reading.utilizationGPU), ("memory", reading.utilizationMemory), ("renderer", reading.utilizationRenderer),
                ("tiler", reading.utilizationTiler),
            ] {
                add("cim_gpu_utilization_ratio", labels + [MetricLabel("engine", engine)], value)
            }
            add("cim_gpu_memory_used_bytes", labels, count: reading.memoryUsedBytes)
            add("cim_gpu_memory_total_bytes", labels, count: reading.memoryTotalBytes)
            add("cim_gpu_memory_reserved_bytes", labels, count: reading.memoryReservedBytes)
            add("cim_gpu_temperature_celsius", labels + [MetricLabel("sensor", "gpu")], reading.temperatureGPUCelsius)
            add("cim_gpu_temperature_celsius", labels + [MetricLabel("sensor", "memory")], reading.temperatureMemoryCelsius)
            add("cim_gpu_power_watts", labels, reading.powerWatts)
            add("cim_gpu_power_limit_watts", labels, reading.powerLimitWatts)
            for (domain, value) in [("sm", reading.clockSMHertz), ("memory", reading.clockMemoryHertz), ("graphics", reading.clockGraphicsHertz)] {
                add("cim_gpu_clock_hertz", labels + [MetricLabel("domain", domain)], value)
            }
            add("cim_gpu_retired_pages", labels + [MetricLabel("cause", "single_bit")], count: reading.retiredPagesSingleBit)
            add("cim_gpu_retired_pages", labels + [MetricLabel("cause", "double_bit")], count: reading.retiredPagesDoubleBit)
            add("cim_gpu_remapped_rows", labels + [MetricLabel("kind", "correctable")], count: reading.remappedRowsCorrectable)
            add("cim_gpu_remapped_rows", labels + [MetricLabel("kind", "uncorrectable")], count: reading.remappedRowsUncorrectable)
            if let reasons = reading.throttleReasons {
                for reason in GPUThrottleReason.allCases {
                    add("cim_gpu_throttle_active", labels + [MetricLabel("reason", reason.rawValue)], reasons.contains(reason) ? 1 : 0)
                }
            }
        }
        for (key, value) in counters {
            let family = key.kind == "ecc" ? "cim_gpu_ecc_errors_total" : "cim_gpu_xid_errors_total"
            add(family, key.labels.metricLabels + [MetricLabel(key.kind == "ecc" ? "bit" : "xid", key.extra)], count: value)
        }
        for (node, count) in samples { add("cim_gpu_samples_total", [MetricLabel("node", node)], count: count) }
        // Unchecked: the names are constants (`cim_gpu_info` is the contract's name even though `_info` is reserved for
        // OpenMetrics info families; it is a gauge here, as nvidia_smi_gpu_info is), the label names constants, and
        // each series' labels contain its key, so no two series share labels.
        return Self.familyNames.map { name in
            let (help, type) = Self.metadata[name]!
            return MetricFamily(unchecked: name, help: help, type: type, unit: nil, series: series[name] ?? [])
        }
    }

    static let metadata: [String: (String, MetricType)] = [
        "cim_gpu_info": ("1 for every GPU and MIG instance seen, with its driver.", .gauge),
        "cim_gpu_up": ("1 while the GPU's agent samples it; 0 after 3 of its intervals without a sample.", .gauge),
        "cim_gpu_utilization_ratio": ("Share of time the engine was busy (0..1), last sample.", .gauge),
        "cim_gpu_memory_used_bytes": ("Memory in use (Apple: GPU-client system memory), last sample.", .gauge),
        "cim_gpu_memory_total_bytes": ("Memory size, last sample.", .gauge),
        "cim_gpu_memory_reserved_bytes": ("Memory the driver and firmware reserve (Apple: system memory allocated to the GPU), last sample.", .gauge),
        "cim_gpu_retired_pages": ("Pages retired for ECC errors, by cause, as the GPU reports it (GPUs before Ampere), last sample.", .gauge),
        "cim_gpu_remapped_rows": ("Memory rows remapped, by kind, as the GPU reports it (Ampere and later), last sample.", .gauge),
        "cim_gpu_temperature_celsius": ("Temperature by sensor, last sample.", .gauge),
        "cim_gpu_power_watts": ("Power draw, last sample.", .gauge),
        "cim_gpu_power_limit_watts": ("Enforced power limit, last sample.", .gauge),
        "cim_gpu_energy_joules_total": ("Energy since the driver loaded, as the GPU reports it.", .counter),
        "cim_gpu_clock_hertz": ("Clock frequency by domain, last sample.", .gauge),
        "cim_gpu_throttle_active": ("1 while the clocks-event (throttle) reason is active, last sample.", .gauge),
        "cim_gpu_ecc_errors_total": ("ECC errors reported by ecc_error events, by bit (single = corrected, double = uncorrected).", .counter),
        "cim_gpu_xid_errors_total": ("Xid errors reported by xid_error events, by code.", .counter),
        "cim_gpu_samples_total": ("sampled events folded, by node.", .counter),
    ]
}
