extension IOReportGPUReading {
    /// State names that count as idle while they lead the `GPUPH` state list.
    static let idleStateNames: Set<String> = ["OFF", "IDLE", "DOWN"]

    /// The `GPUPH` residencies of the sample; several `GPUPH` channels with the same states (one per die) are added
    /// up, several with different states are ambiguous and give none.
    static func performanceStates(_ channels: [IOReportChannel], errors: inout [String]) -> [IOReportChannel.State]? {
        var combined: [IOReportChannel.State]?
        for channel in channels where channel.group == "GPU Stats" && channel.subgroup == "GPU Performance States" && channel.name == "GPUPH" {
            guard case .states(let states) = channel.value else {
                errors.append("utilization: GPUPH is not a state channel")
                return nil
            }
            guard let previous = combined else {
                combined = states
                continue
            }
            guard previous.map(\.name) == states.map(\.name) else {
                errors.append("utilization: GPUPH channels with different states")
                return nil
            }
            var sum: [IOReportChannel.State] = []
            for (left, right) in zip(previous, states) {
                let (residency, overflow) = left.residency.addingReportingOverflow(right.residency)
                guard !overflow else {
                    errors.append("utilization: GPUPH residency overflows")
                    return nil
                }
                sum.append(IOReportChannel.State(left.name, residency))
            }
            combined = sum
        }
        return combined
    }

    /// The active ratio and the residency-weighted active frequency of `GPUPH` states.
    static func residency(
        _ states: [IOReportChannel.State],
        frequenciesHertz: [UInt32]
    ) -> (activeRatio: Double?, averageActiveHertz: Double?, errors: [String]) {
        guard states.allSatisfy({ $0.residency >= 0 }) else { return (nil, nil, ["utilization: negative GPUPH residency"]) }
        let firstActive = states.firstIndex { !idleStateNames.contains($0.name) } ?? states.endIndex
        let active = states[firstActive...]
        guard let total = sum(states), let activeTotal = sum(active) else { return (nil, nil, ["utilization: GPUPH residency overflows"]) }
        guard total > 0 else { return (nil, nil, []) }
        let ratio = Double(activeTotal) / Double(total)
        guard activeTotal > 0 else { return (ratio, nil, []) }
        let table = frequenciesHertz.drop { $0 == 0 }
        guard !table.isEmpty else { return (ratio, nil, ["clock_graphics: no GPU DVFS table"]) }
        guard table.count == active.count else {
            return (ratio, nil, ["clock_graphics: GPUPH has \(active.count) active states, the DVFS table \(table.count)"])
        }
        var hertz = 0.0
        for (state, frequency) in zip(active, table) {
            hertz += Double(state.residency) / Double(activeTotal) * Double(frequency)
        }
        return (ratio, hertz, [])
    }

    /// The residencies' sum; `nil` when it overflows.
    private static func sum(_ states: some Sequence<IOReportChannel.State>) -> Int64? {
        var total: Int64 = 0
        for state in states {
            let (next, overflow) = total.addingReportingOverflow(state.residency)
            guard !overflow else { return nil }
            total = next
        }
        return total
    }
}
