/// What one IOReport delta sample says about the GPU, computed the way macmon does it (macmon's
/// `calc_freq_from_residencies` and `watts`), with every doubtful input leaving its field absent instead of
/// guessing:
///
/// - ``activeRatio``: from the `GPU Stats` / `GPU Performance States` channel `GPUPH`. Its leading `OFF`, `IDLE`
///   and `DOWN` states are idle, every state from the first other one on is active; the ratio is active residency
///   over total residency. Absent when the channel is missing, a residency is negative, the total is zero or the
///   sums overflow.
/// - ``averageActiveHertz``: the active states' frequencies from the DVFS table (``PMGRVoltageStatesParser``,
///   leading zero-hertz entries dropped), weighted by residency. Absent when the GPU was never active in the
///   window, or when the number of active states differs from the table's (macmon interpolates then; we do not
///   invent a clock).
/// - ``powerWatts``: the `Energy Model` channel `GPU Energy` over the elapsed seconds, in its unit (`mJ`, `uJ`,
///   `µJ`, `nJ`, `J`). ``sramPowerWatts``: the same for the `GPU SRAM…` channels, summed. Absent when the channel is
///   missing, the unit unknown, the energy negative, the elapsed time not positive, or the result above
///   ``maximumPlausibleWatts``.
public struct IOReportGPUReading: Sendable, Equatable {
    /// No Mac's power supply delivers this much (a Mac Pro's: 1.28 kW), so a larger result is a counter glitch.
    public static let maximumPlausibleWatts = 2000.0

    public var activeRatio: Double?
    public var averageActiveHertz: Double?
    public var powerWatts: Double?
    public var sramPowerWatts: Double?
    /// Why a field present in the sample could not be computed, one `field: reason` each (as
    /// ``GPUReading/errors``); a channel missing from the sample is not an error.
    public var errors: [String] = []

    /// - Parameters:
    ///   - channels: one delta sample's channels (others than the GPU's are ignored).
    ///   - elapsedSeconds: the time between the two samples of the delta.
    ///   - frequenciesHertz: the GPU DVFS table, as ``PMGRVoltageStatesParser`` reads it; empty when unknown.
    public init(channels: [IOReportChannel], elapsedSeconds: Double, frequenciesHertz: [UInt32]) {
        if let states = Self.performanceStates(channels, errors: &errors) {
            let residency = Self.residency(states, frequenciesHertz: frequenciesHertz)
            activeRatio = residency.activeRatio
            averageActiveHertz = residency.averageActiveHertz
            errors += residency.errors
        }
        let energy = channels.filter { $0.group == "Energy Model" && $0.name == "GPU Energy" }
        if !energy.isEmpty {
            powerWatts = Self.watts(energy, elapsedSeconds: elapsedSeconds, field: "power", errors: &errors)
        }
        let sram = channels.filter { $0.group == "Energy Model" && $0.name.hasPrefix("GPU SRAM") }
        if !sram.isEmpty {
            sramPowerWatts = Self.watts(sram, elapsedSeconds: elapsedSeconds, field: "sram_power", errors: &errors)
        }
    }

    /// Adds this reading to one made from the `IOAccelerator` statistics: the clock and the power, which those lack,
    /// and the active ratio as ``GPUReading/utilizationGPU`` only where `Device Utilization %` was absent — the
    /// driver's own figure stays the utilization wherever it exists, so the series means what it meant before.
    public func merged(into reading: GPUReading) -> GPUReading {
        var merged = reading
        merged.utilizationGPU = reading.utilizationGPU ?? activeRatio
        merged.clockGraphicsHertz = reading.clockGraphicsHertz ?? averageActiveHertz
        merged.powerWatts = reading.powerWatts ?? powerWatts
        for error in errors { merged.errors = (merged.errors ?? []) + ["ioreport " + error] }
        return merged
    }
}
