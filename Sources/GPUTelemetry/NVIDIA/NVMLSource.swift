import Foundation
import Synchronization

/// Reads NVIDIA GPUs through NVML (``NVMLLibrary``): every quantity of ``GPUReading`` NVML offers, MIG instances, and
/// Xid errors from an NVML event set.
///
/// A call that fails for one GPU leaves that field absent and notes it in the reading's `errors` (`not_supported`
/// is simply absent); a GPU that answers `GPU_IS_LOST` (or whose handle cannot be had) is reported lost under the
/// id it had before. Only a failing `nvmlDeviceGetCount` fails the whole sample.
public final class NVMLSource: GPUSource {
    public let vendor = GPUVendor.nvidia
    public let name = "nvml"
    public let library: NVMLLibrary

    private struct State {
        /// The Xid event set, as an address (a pointer is not Sendable; NVML owns the set).
        var eventSet: UInt?
        var registered: Set<UInt32> = []
        /// The id each index had when last seen, to name a GPU that is lost.
        var knownIDs: [UInt32: String] = [:]
    }
    private let state = Mutex(State())

    /// Loads NVML (see ``NVMLLibrary/init(path:)``) and creates the Xid event set.
    public init(library: NVMLLibrary) {
        self.library = library
        var set: OpaquePointer?
        if library.call(library.eventSetCreate, { $0(&set) }) == NVMLReturn.success.rawValue {
            let address = UInt(bitPattern: Int(bitPattern: set))
            state.withLock { $0.eventSet = address }
        }
    }

    public convenience init(path: String? = nil) throws(NVMLError) {
        self.init(library: try NVMLLibrary(path: path))
    }

    public func sample() throws(GPUSourceError) -> GPUSample {
        let lib = library
        var count: UInt32 = 0
        let countResult = lib.call(lib.deviceGetCount) { $0(&count) }
        guard countResult == NVMLReturn.success.rawValue else {
            throw GPUSourceError("nvmlDeviceGetCount_v2 failed: \(NVMLReturn.describe(countResult))")
        }
        let (_, driver) = lib.string(80) { buffer, size in lib.call(lib.systemGetDriverVersion) { $0(buffer, size) } }
        var sample = GPUSample(vendor: .nvidia, driver: driver, readings: [])
        var handles: [(device: NVMLLibrary.Device, gpu: String)] = []
        for index in 0..<min(count, 1024) {
            var device: NVMLLibrary.Device?
            let handleResult = lib.call(lib.deviceGetHandleByIndex) { $0(index, &device) }
            let (uuidResult, uuid) = lib.string(96) { buffer, size in
                guard let device else { return handleResult }
                return lib.call(lib.deviceGetUUID) { $0(device, buffer, size) }
            }
            guard handleResult == NVMLReturn.success.rawValue, let device, let uuid, !uuid.isEmpty else {
                let failure = handleResult != NVMLReturn.success.rawValue ? handleResult : uuidResult
                if let known = state.withLock({ $0.knownIDs[index] }) { sample.lost[known] = NVMLReturn.describe(failure) }
                continue
            }
            var reading = read(device, index: index, uuid: uuid)
            if reading.errors?.contains(where: { $0.hasSuffix(": gpu_is_lost") }) == true {
                sample.lost[uuid] = NVMLReturn.describe(NVMLReturn.gpuIsLost.rawValue)
                continue
            }
            state.withLock { $0.knownIDs[index] = uuid }
            handles.append((device, uuid))
            reading.migEnabled = migMode(device)
            sample.readings.append(reading)
            if reading.migEnabled == true { sample.readings.append(contentsOf: migReadings(device, parent: reading)) }
        }
        registerXids(handles)
        sample.xids = drainXids(handles)
        return sample
    }

    /// One whole GPU's reading.
    func read(_ device: NVMLLibrary.Device, index: UInt32, uuid: String) -> GPUReading {
        let lib = library
        let (_, name) = lib.string(96) { buffer, size in lib.call(lib.deviceGetName) { $0(device, buffer, size) } }
        var reading = GPUReading(gpu: uuid, index: Int(index), model: name ?? "unknown")
        func check(_ field: String, _ result: Int32) -> Bool {
            if result == NVMLReturn.success.rawValue { return true }
            if result != NVMLReturn.notSupported.rawValue { reading.recordError(field, NVMLReturn.describe(result)) }
            return false
        }
        var utilization = NVMLUtilization()
        if check(
            "utilization",
            lib.call(lib.deviceGetUtilizationRates) { get in withUnsafeMutableBytes(of: &utilization) { get(device, $0.baseAddress) } }
        ) {
            reading.utilizationGPU = Double(min(utilization.gpu, 100)) / 100
            reading.utilizationMemory = Double(min(utilization.memory, 100)) / 100
        }
        // nvmlMemory_v2_t adds `reserved`; a driver without it (missing symbol, or an older struct version) gets v1.
        var memoryV2 = NVMLMemoryV2()
        let v2Result = lib.call(lib.deviceGetMemoryInfoV2) { get in withUnsafeMutableBytes(of: &memoryV2) { get(device, $0.baseAddress) } }
        if v2Result == NVMLReturn.functionNotFound.rawValue || v2Result == NVMLReturn.argumentVersionMismatch.rawValue {
            var memory = NVMLMemory()
            if check("memory", lib.call(lib.deviceGetMemoryInfo) { get in withUnsafeMutableBytes(of: &memory) { get(device, $0.baseAddress) } }) {
                reading.memoryTotalBytes = memory.total
                reading.memoryUsedBytes = memory.used
            }
        } else if check("memory", v2Result) {
            reading.memoryTotalBytes = memoryV2.total
            reading.memoryUsedBytes = memoryV2.used
            reading.memoryReservedBytes = memoryV2.reserved
        }
        var value: UInt32 = 0
        if check("temperature", lib.call(lib.deviceGetTemperature) { $0(device, 0, &value) }) { reading.temperatureGPUCelsius = Double(value) }
        // Memory (HBM) temperature: no nvmlTemperatureSensors_t value, only the field NVML_FI_DEV_MEMORY_TEMP; each field
        // carries its own result, which decides as the call's would.
        var field = NVMLFieldValue(fieldID: NVMLFieldValue.memoryTemperature)
        let fieldResult = lib.call(lib.deviceGetFieldValues) { get in withUnsafeMutableBytes(of: &field) { get(device, 1, $0.baseAddress) } }
        if check("temperature_memory", fieldResult == NVMLReturn.success.rawValue ? field.result : fieldResult),
            let celsius = field.number, celsius.isFinite, (-273...1000).contains(celsius)
        {
            reading.temperatureMemoryCelsius = celsius
        }
        if check("power", lib.call(lib.deviceGetPowerUsage) { $0(device, &value) }) { reading.powerWatts = Double(value) / 1000 }
        if check("power_limit", lib.call(lib.deviceGetEnforcedPowerLimit) { $0(device, &value) }) { reading.powerLimitWatts = Double(value) / 1000 }
        var wide: UInt64 = 0
        if check("energy", lib.call(lib.deviceGetTotalEnergyConsumption) { $0(device, &wide) }) { reading.energyJoules = Double(wide) / 1000 }
        for (field, clock, path) in [
            ("clock_graphics", UInt32(0), \GPUReading.clockGraphicsHertz), ("clock_sm", 1, \.clockSMHertz), ("clock_memory", 2, \.clockMemoryHertz),
        ] {
            if check(field, lib.call(lib.deviceGetClockInfo) { $0(device, clock, &value) }) { reading[keyPath: path] = Double(value) * 1_000_000 }
        }
        var pstate: Int32 = 0
        if check("pstate", lib.call(lib.deviceGetPerformanceState) { $0(device, &pstate) }), (0...15).contains(pstate) {
            reading.performanceState = Int(pstate)
        }
        if check("throttle_reasons", lib.call(lib.deviceGetCurrentClocksEventReasons) { $0(device, &wide) }) {
            reading.throttleReasons = GPUThrottleReason.reasons(inMask: wide)
        }
        let ecc: [(String, UInt32, UInt32, WritableKeyPath<GPUReading, UInt64?>)] = [
            ("ecc_corrected_volatile", 0, 0, \.eccCorrectedVolatile), ("ecc_uncorrected_volatile", 1, 0, \.eccUncorrectedVolatile),
            ("ecc_corrected_aggregate", 0, 1, \.eccCorrectedAggregate), ("ecc_uncorrected_aggregate", 1, 1, \.eccUncorrectedAggregate),
        ]
        for (field, errorType, counterType, path) in ecc {
            if check(field, lib.call(lib.deviceGetTotalEccErrors) { $0(device, errorType, counterType, &wide) }) { reading[keyPath: path] = wide }
        }
        // Page retirement (up to Volta/Turing) and row remapping (Ampere and later): a GPU supports one or the other, the
        // other answers NOT_SUPPORTED and stays absent. A page count of 0 with no buffer asks for the count only.
        for (field, cause, path) in [
            ("retired_pages_single_bit", UInt32(0), \GPUReading.retiredPagesSingleBit), ("retired_pages_double_bit", 1, \.retiredPagesDoubleBit),
        ] {
            var pages: UInt32 = 0
            if check(field, lib.call(lib.deviceGetRetiredPages) { $0(device, cause, &pages, nil) }) { reading[keyPath: path] = UInt64(pages) }
        }
        var correctable: UInt32 = 0
        var uncorrectable: UInt32 = 0
        var pending: UInt32 = 0
        var failed: UInt32 = 0
        if check("remapped_rows", lib.call(lib.deviceGetRemappedRows) { $0(device, &correctable, &uncorrectable, &pending, &failed) }) {
            reading.remappedRowsCorrectable = UInt64(correctable)
            reading.remappedRowsUncorrectable = UInt64(uncorrectable)
        }
        if check("fan", lib.call(lib.deviceGetFanSpeed) { $0(device, &value) }) { reading.fanRatio = Double(min(value, 100)) / 100 }
        if check("pcie_tx", lib.call(lib.deviceGetPcieThroughput) { $0(device, 0, &value) }) { reading.pcieTxBytesPerSecond = Double(value) * 1024 }
        if check("pcie_rx", lib.call(lib.deviceGetPcieThroughput) { $0(device, 1, &value) }) { reading.pcieRxBytesPerSecond = Double(value) * 1024 }
        return reading
    }

    func migMode(_ device: NVMLLibrary.Device) -> Bool? {
        var current: UInt32 = 0
        var pending: UInt32 = 0
        guard library.call(library.deviceGetMigMode, { $0(device, &current, &pending) }) == NVMLReturn.success.rawValue else { return nil }
        return current == 1
    }

    /// The MIG instances of a GPU: their UUIDs and memory (NVML reports no utilization per instance).
    func migReadings(_ device: NVMLLibrary.Device, parent: GPUReading) -> [GPUReading] {
        let lib = library
        var maximum: UInt32 = 0
        guard lib.call(lib.deviceGetMaxMigDeviceCount, { $0(device, &maximum) }) == NVMLReturn.success.rawValue else { return [] }
        var readings: [GPUReading] = []
        for slot in 0..<min(maximum, 64) {
            var instance: NVMLLibrary.Device?
            guard lib.call(lib.deviceGetMigDeviceHandleByIndex, { $0(device, slot, &instance) }) == NVMLReturn.success.rawValue, let instance else {
                continue
            }
            let (_, uuid) = lib.string(96) { buffer, size in lib.call(lib.deviceGetUUID) { $0(instance, buffer, size) } }
            guard let uuid, !uuid.isEmpty else { continue }
            var reading = GPUReading(gpu: parent.gpu, index: parent.index, model: parent.model, migInstance: uuid)
            let (_, name) = lib.string(96) { buffer, size in lib.call(lib.deviceGetName) { $0(instance, buffer, size) } }
            reading.migProfile = name.flatMap(Self.profile)
            var memory = NVMLMemory()
            let result = lib.call(lib.deviceGetMemoryInfo) { get in withUnsafeMutableBytes(of: &memory) { get(instance, $0.baseAddress) } }
            if result == NVMLReturn.success.rawValue {
                reading.memoryTotalBytes = memory.total
                reading.memoryUsedBytes = memory.used
            } else if result != NVMLReturn.notSupported.rawValue {
                reading.recordError("memory", NVMLReturn.describe(result))
            }
            readings.append(reading)
        }
        return readings
    }

    /// `NVIDIA H100 80GB HBM3 MIG 3g.40gb` → `3g.40gb`.
    static func profile(_ name: String) -> String? {
        guard let range = name.range(of: "MIG ", options: .backwards) else { return nil }
        let profile = name[range.upperBound...]
        return profile.isEmpty ? nil : String(profile)
    }

    private func registerXids(_ handles: [(device: NVMLLibrary.Device, gpu: String)]) {
        let lib = library
        state.withLock { state in
            guard let set = state.eventSet.flatMap({ OpaquePointer(bitPattern: $0) }) else { return }
            for (position, handle) in handles.enumerated() where !state.registered.contains(UInt32(position)) {
                // nvmlEventTypeXidCriticalError = 0x8
                if lib.call(lib.deviceRegisterEvents, { $0(handle.device, 0x8, set) }) == NVMLReturn.success.rawValue {
                    state.registered.insert(UInt32(position))
                }
            }
        }
    }

    /// Every Xid event waiting in the event set (waits 0 ms: the agent's interval paces the reads).
    private func drainXids(_ handles: [(device: NVMLLibrary.Device, gpu: String)]) -> [(gpu: String, xid: Int)] {
        guard let set = state.withLock({ $0.eventSet }).flatMap({ OpaquePointer(bitPattern: $0) }) else { return [] }
        var xids: [(gpu: String, xid: Int)] = []
        for _ in 0..<1024 {
            var data = NVMLEventData()
            guard
                library.call(library.eventSetWait, { wait in withUnsafeMutableBytes(of: &data) { wait(set, $0.baseAddress, 0) } })
                    == NVMLReturn.success.rawValue
            else { break }
            guard data.eventType & 0x8 != 0, let gpu = handles.first(where: { $0.device == data.device })?.gpu else { continue }
            xids.append((gpu, Int(min(data.eventData, UInt64(Int32.max)))))
        }
        return xids
    }
}
