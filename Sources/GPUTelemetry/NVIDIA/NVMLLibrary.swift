#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// NVIDIA's management library loaded at run time with `dlopen` (`libnvidia-ml.so.1`, or `CIM_NVML_LIBRARY`), so the
/// binary has no link-time dependency and runs on machines without a GPU.
///
/// Symbols are looked up by their versioned names (`nvmlInit_v2`, `nvmlDeviceGetCount_v2`, …): `nvml.h` maps the
/// plain names to them with macros, which `dlsym` does not see. A symbol the library lacks is reported by the call
/// that needs it as ``NVMLReturn/functionNotFound`` (13), never a crash. Signatures follow `nvml.h` (API 13).
public final class NVMLLibrary: @unchecked Sendable {
    // Safe to share: the handle and the function pointers are set once in init and never change; NVML itself is
    // thread-safe after nvmlInit.

    /// The default library name.
    public static let defaultPath = "libnvidia-ml.so.1"

    public typealias Device = OpaquePointer
    typealias InitFunction = @convention(c) () -> Int32
    typealias StringFunction = @convention(c) (UnsafeMutablePointer<CChar>?, UInt32) -> Int32
    typealias CountFunction = @convention(c) (UnsafeMutablePointer<UInt32>?) -> Int32
    typealias HandleByIndexFunction = @convention(c) (UInt32, UnsafeMutablePointer<Device?>?) -> Int32
    typealias DeviceStringFunction = @convention(c) (Device?, UnsafeMutablePointer<CChar>?, UInt32) -> Int32
    typealias DeviceUInt32Function = @convention(c) (Device?, UnsafeMutablePointer<UInt32>?) -> Int32
    typealias DeviceUInt64Function = @convention(c) (Device?, UnsafeMutablePointer<UInt64>?) -> Int32
    typealias DeviceInt32Function = @convention(c) (Device?, UnsafeMutablePointer<Int32>?) -> Int32
    typealias DeviceArgUInt32Function = @convention(c) (Device?, UInt32, UnsafeMutablePointer<UInt32>?) -> Int32
    typealias UtilizationFunction = @convention(c) (Device?, UnsafeMutableRawPointer?) -> Int32
    typealias MemoryFunction = @convention(c) (Device?, UnsafeMutableRawPointer?) -> Int32
    typealias EccFunction = @convention(c) (Device?, UInt32, UInt32, UnsafeMutablePointer<UInt64>?) -> Int32
    typealias MigModeFunction = @convention(c) (Device?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?) -> Int32
    typealias MigHandleFunction = @convention(c) (Device?, UInt32, UnsafeMutablePointer<Device?>?) -> Int32
    typealias EventSetCreateFunction = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    typealias RegisterEventsFunction = @convention(c) (Device?, UInt64, OpaquePointer?) -> Int32
    typealias EventSetWaitFunction = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UInt32) -> Int32
    typealias FieldValuesFunction = @convention(c) (Device?, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias RetiredPagesFunction = @convention(c) (Device?, UInt32, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt64>?) -> Int32
    typealias RemappedRowsFunction =
        @convention(c) (
            Device?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?
        ) -> Int32

    private let handle: UnsafeMutableRawPointer
    /// Whether `nvmlInit_v2` succeeded (and `nvmlShutdown` is owed).
    private var initialized = false
    let initialize: InitFunction?
    let shutdown: InitFunction?
    let systemGetDriverVersion: StringFunction?
    let deviceGetCount: CountFunction?
    let deviceGetHandleByIndex: HandleByIndexFunction?
    let deviceGetUUID: DeviceStringFunction?
    let deviceGetName: DeviceStringFunction?
    let deviceGetIndex: DeviceUInt32Function?
    let deviceGetUtilizationRates: UtilizationFunction?
    let deviceGetMemoryInfo: MemoryFunction?
    let deviceGetMemoryInfoV2: MemoryFunction?
    let deviceGetFieldValues: FieldValuesFunction?
    let deviceGetRetiredPages: RetiredPagesFunction?
    let deviceGetRemappedRows: RemappedRowsFunction?
    let deviceGetTemperature: DeviceArgUInt32Function?
    let deviceGetPowerUsage: DeviceUInt32Function?
    let deviceGetEnforcedPowerLimit: DeviceUInt32Function?
    let deviceGetTotalEnergyConsumption: DeviceUInt64Function?
    let deviceGetClockInfo: DeviceArgUInt32Function?
    let deviceGetPerformanceState: DeviceInt32Function?
    let deviceGetCurrentClocksEventReasons: DeviceUInt64Function?
    let deviceGetTotalEccErrors: EccFunction?
    let deviceGetFanSpeed: DeviceUInt32Function?
    let deviceGetPcieThroughput: DeviceArgUInt32Function?
    let deviceGetMigMode: MigModeFunction?
    let deviceGetMaxMigDeviceCount: DeviceUInt32Function?
    let deviceGetMigDeviceHandleByIndex: MigHandleFunction?
    let eventSetCreate: EventSetCreateFunction?
    let deviceRegisterEvents: RegisterEventsFunction?
    let eventSetWait: EventSetWaitFunction?

    /// Loads the library: `path`, else `CIM_NVML_LIBRARY`, else ``defaultPath``; then calls `nvmlInit_v2`.
    ///
    /// - Throws: ``NVMLError`` when the library cannot be loaded, lacks `nvmlInit_v2`, or `nvmlInit_v2` fails
    ///   (no driver, no permission).
    public init(path: String? = nil) throws(NVMLError) {
        let resolved = path ?? getenv("CIM_NVML_LIBRARY").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultPath
        guard let handle = dlopen(resolved, RTLD_LAZY | RTLD_GLOBAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw NVMLError(code: NVMLReturn.libraryNotFound.rawValue, message: "cannot load \(resolved): \(reason)")
        }
        self.handle = handle
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let pointer = dlsym(handle, name) else { return nil }
            return unsafeBitCast(pointer, to: type)
        }
        initialize = symbol("nvmlInit_v2", as: InitFunction.self)
        shutdown = symbol("nvmlShutdown", as: InitFunction.self)
        systemGetDriverVersion = symbol("nvmlSystemGetDriverVersion", as: StringFunction.self)
        deviceGetCount = symbol("nvmlDeviceGetCount_v2", as: CountFunction.self)
        deviceGetHandleByIndex = symbol("nvmlDeviceGetHandleByIndex_v2", as: HandleByIndexFunction.self)
        deviceGetUUID = symbol("nvmlDeviceGetUUID", as: DeviceStringFunction.self)
        deviceGetName = symbol("nvmlDeviceGetName", as: DeviceStringFunction.self)
        deviceGetIndex = symbol("nvmlDeviceGetIndex", as: DeviceUInt32Function.self)
        deviceGetUtilizationRates = symbol("nvmlDeviceGetUtilizationRates", as: UtilizationFunction.self)
        deviceGetMemoryInfo = symbol("nvmlDeviceGetMemoryInfo", as: MemoryFunction.self)
        deviceGetMemoryInfoV2 = symbol("nvmlDeviceGetMemoryInfo_v2", as: MemoryFunction.self)
        deviceGetFieldValues = symbol("nvmlDeviceGetFieldValues", as: FieldValuesFunction.self)
        deviceGetRetiredPages = symbol("nvmlDeviceGetRetiredPages", as: RetiredPagesFunction.self)
        deviceGetRemappedRows = symbol("nvmlDeviceGetRemappedRows", as: RemappedRowsFunction.self)
        deviceGetTemperature = symbol("nvmlDeviceGetTemperature", as: DeviceArgUInt32Function.self)
        deviceGetPowerUsage = symbol("nvmlDeviceGetPowerUsage", as: DeviceUInt32Function.self)
        deviceGetEnforcedPowerLimit = symbol("nvmlDeviceGetEnforcedPowerLimit", as: DeviceUInt32Function.self)
        deviceGetTotalEnergyConsumption = symbol("nvmlDeviceGetTotalEnergyConsumption", as: DeviceUInt64Function.self)
        deviceGetClockInfo = symbol("nvmlDeviceGetClockInfo", as: DeviceArgUInt32Function.self)
        deviceGetPerformanceState = symbol("nvmlDeviceGetPerformanceState", as: DeviceInt32Function.self)
        deviceGetCurrentClocksEventReasons =
            symbol("nvmlDeviceGetCurrentClocksEventReasons", as: DeviceUInt64Function.self)
            ?? symbol("nvmlDeviceGetCurrentClocksThrottleReasons", as: DeviceUInt64Function.self)
        deviceGetTotalEccErrors = symbol("nvmlDeviceGetTotalEccErrors", as: EccFunction.self)
        deviceGetFanSpeed = symbol("nvmlDeviceGetFanSpeed", as: DeviceUInt32Function.self)
        deviceGetPcieThroughput = symbol("nvmlDeviceGetPcieThroughput", as: DeviceArgUInt32Function.self)
        deviceGetMigMode = symbol("nvmlDeviceGetMigMode", as: MigModeFunction.self)
        deviceGetMaxMigDeviceCount = symbol("nvmlDeviceGetMaxMigDeviceCount", as: DeviceUInt32Function.self)
        deviceGetMigDeviceHandleByIndex = symbol("nvmlDeviceGetMigDeviceHandleByIndex", as: MigHandleFunction.self)
        eventSetCreate = symbol("nvmlEventSetCreate", as: EventSetCreateFunction.self)
        deviceRegisterEvents = symbol("nvmlDeviceRegisterEvents", as: RegisterEventsFunction.self)
        eventSetWait = symbol("nvmlEventSetWait_v2", as: EventSetWaitFunction.self)
        // A throw from here on runs deinit, which closes the library (and shuts NVML down only if it started).
        guard let initialize else {
            throw NVMLError(code: NVMLReturn.functionNotFound.rawValue, message: "\(resolved) has no nvmlInit_v2: not an NVML library")
        }
        let result = initialize()
        guard result == NVMLReturn.success.rawValue else {
            throw NVMLError(code: result, message: "nvmlInit_v2 failed: \(NVMLReturn.describe(result))")
        }
        initialized = true
    }

    deinit {
        if initialized { _ = shutdown?() }
        dlclose(handle)
    }

    /// Calls a function that may be missing: ``NVMLReturn/functionNotFound`` when it is.
    @inline(__always)
    func call<F>(_ function: F?, _ body: (F) -> Int32) -> Int32 {
        guard let function else { return NVMLReturn.functionNotFound.rawValue }
        return body(function)
    }

    /// A string out of a function that fills a buffer.
    func string(_ capacity: Int, _ fill: (UnsafeMutablePointer<CChar>, UInt32) -> Int32) -> (Int32, String?) {
        var buffer = [CChar](repeating: 0, count: capacity + 1)
        let result = buffer.withUnsafeMutableBufferPointer { fill($0.baseAddress!, UInt32(capacity)) }
        guard result == NVMLReturn.success.rawValue else { return (result, nil) }
        buffer[capacity] = 0
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return (result, String(decoding: bytes, as: UTF8.self))
    }
}

/// `nvmlUtilization_t` (passed to C as raw memory: same layout, two `unsigned int`s): percent of time busy over the last sample period.
public struct NVMLUtilization {
    public var gpu: UInt32 = 0
    public var memory: UInt32 = 0
    public init() {}
}

/// `nvmlMemory_t` (v1): bytes.
public struct NVMLMemory {
    public var total: UInt64 = 0
    public var free: UInt64 = 0
    public var used: UInt64 = 0
    public init() {}
}

/// `nvmlMemory_v2_t`: `version` is `sizeof(nvmlMemory_v2_t) | 2 << 24`; `used` excludes `reserved` (memory the
/// driver and firmware keep), where v1's `used` includes it.
public struct NVMLMemoryV2 {
    public var version: UInt32 = UInt32(MemoryLayout<NVMLMemoryV2>.size) | 2 << 24
    public var total: UInt64 = 0
    public var reserved: UInt64 = 0
    public var free: UInt64 = 0
    public var used: UInt64 = 0
    public init() {}
}

/// `nvmlFieldValue_t` (40 bytes): the field asked for, then NVML's answer for it. `value` is the 8-byte
/// `nvmlValue_t` union, read as `valueType` says (0 double, 1 unsigned int, 2 unsigned long, 3 unsigned long long,
/// 4 signed long long, 5 signed int, 6 unsigned short).
public struct NVMLFieldValue {
    /// `NVML_FI_DEV_MEMORY_TEMP`: the memory (HBM) temperature in °C.
    public static let memoryTemperature: UInt32 = 82
    public var fieldID: UInt32 = 0
    public var scopeID: UInt32 = 0
    public var timestamp: Int64 = 0
    public var latencyMicroseconds: Int64 = 0
    public var valueType: Int32 = 0
    public var result: Int32 = 0
    public var value: UInt64 = 0
    public init(fieldID: UInt32) { self.fieldID = fieldID }

    /// The value as a number, or `nil` for an unknown value type.
    public var number: Double? {
        switch valueType {
        case 0: Double(bitPattern: value)
        case 1: Double(UInt32(truncatingIfNeeded: value))
        case 2, 3: Double(value)
        case 4: Double(Int64(bitPattern: value))
        case 5: Double(Int32(truncatingIfNeeded: value))
        case 6: Double(UInt16(truncatingIfNeeded: value))
        default: nil
        }
    }
}

/// `nvmlEventData_t`: the device, the event type, its data (the Xid), and the MIG instance ids (0xFFFFFFFF if n/a).
public struct NVMLEventData {
    public var device: OpaquePointer?
    public var eventType: UInt64 = 0
    public var eventData: UInt64 = 0
    public var gpuInstanceID: UInt32 = 0
    public var computeInstanceID: UInt32 = 0
    public init() {}
}
