/// One GPU's (or one MIG instance's) reading at one moment. Every quantity is optional: `nil` means the
/// source did not report it (`[N/A]`, not supported, an NVML error), never 0.
///
/// Units are base units: ratios 0…1, bytes, watts, joules, hertz, degrees Celsius.
public struct GPUReading: Sendable, Equatable, Codable {
    /// The stable id: the NVIDIA UUID (`GPU-…`), or for Apple the registry entry (`apple-<model>-<index>`).
    public var gpu: String
    /// The index on the node (NVML / nvidia-smi index, or the registry order on Apple).
    public var index: Int
    /// The model name (`NVIDIA H200`, `Apple M1 Pro`).
    public var model: String
    /// For a MIG instance, its UUID (`MIG-…`); `nil` for a whole GPU.
    public var migInstance: String?
    /// For a MIG instance, its profile (`3g.40gb`), when known.
    public var migProfile: String?
    /// Whether MIG is enabled on the GPU.
    public var migEnabled: Bool?
    public var utilizationGPU: Double?
    public var utilizationMemory: Double?
    /// Apple: renderer and tiler utilization.
    public var utilizationRenderer: Double?
    public var utilizationTiler: Double?
    public var memoryUsedBytes: UInt64?
    public var memoryTotalBytes: UInt64?
    public var memoryReservedBytes: UInt64?
    public var temperatureGPUCelsius: Double?
    public var temperatureMemoryCelsius: Double?
    public var powerWatts: Double?
    public var powerLimitWatts: Double?
    /// Energy since the driver loaded (NVML, Volta and later).
    public var energyJoules: Double?
    public var clockSMHertz: Double?
    public var clockMemoryHertz: Double?
    public var clockGraphicsHertz: Double?
    /// The performance state, 0 (P0, fastest) to 15.
    public var performanceState: Int?
    /// The clocks-event reasons active now; `nil` when unknown.
    public var throttleReasons: [GPUThrottleReason]?
    public var eccCorrectedVolatile: UInt64?
    public var eccUncorrectedVolatile: UInt64?
    public var eccCorrectedAggregate: UInt64?
    public var eccUncorrectedAggregate: UInt64?
    public var retiredPagesSingleBit: UInt64?
    public var retiredPagesDoubleBit: UInt64?
    public var remappedRowsCorrectable: UInt64?
    public var remappedRowsUncorrectable: UInt64?
    public var pcieRxBytesPerSecond: Double?
    public var pcieTxBytesPerSecond: Double?
    public var fanRatio: Double?
    /// What could not be read, one `field: reason` each (a partial reading); `nil` when nothing failed.
    public var errors: [String]?

    public init(gpu: String, index: Int, model: String, migInstance: String? = nil) {
        self.gpu = gpu
        self.index = index
        self.model = model
        self.migInstance = migInstance
    }

    /// Notes a field that could not be read.
    public mutating func recordError(_ field: String, _ reason: String) {
        errors = (errors ?? []) + ["\(field): \(reason)"]
    }

    enum CodingKeys: String, CodingKey {
        case gpu, index, model
        case migInstance = "mig_instance"
        case migProfile = "mig_profile"
        case migEnabled = "mig_enabled"
        case utilizationGPU = "utilization_gpu_ratio"
        case utilizationMemory = "utilization_memory_ratio"
        case utilizationRenderer = "utilization_renderer_ratio"
        case utilizationTiler = "utilization_tiler_ratio"
        case memoryUsedBytes = "memory_used_bytes"
        case memoryTotalBytes = "memory_total_bytes"
        case memoryReservedBytes = "memory_reserved_bytes"
        case temperatureGPUCelsius = "temperature_gpu_celsius"
        case temperatureMemoryCelsius = "temperature_memory_celsius"
        case powerWatts = "power_watts"
        case powerLimitWatts = "power_limit_watts"
        case energyJoules = "energy_joules"
        case clockSMHertz = "clock_sm_hertz"
        case clockMemoryHertz = "clock_memory_hertz"
        case clockGraphicsHertz = "clock_graphics_hertz"
        case performanceState = "pstate"
        case throttleReasons = "throttle_reasons"
        case eccCorrectedVolatile = "ecc_corrected_volatile"
        case eccUncorrectedVolatile = "ecc_uncorrected_volatile"
        case eccCorrectedAggregate = "ecc_corrected_aggregate"
        case eccUncorrectedAggregate = "ecc_uncorrected_aggregate"
        case retiredPagesSingleBit = "retired_pages_single_bit"
        case retiredPagesDoubleBit = "retired_pages_double_bit"
        case remappedRowsCorrectable = "remapped_rows_correctable"
        case remappedRowsUncorrectable = "remapped_rows_uncorrectable"
        case pcieRxBytesPerSecond = "pcie_rx_bytes_per_second"
        case pcieTxBytesPerSecond = "pcie_tx_bytes_per_second"
        case fanRatio = "fan_ratio"
        case errors
    }
}
