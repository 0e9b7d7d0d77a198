/// Why a GPU's clocks are held down: the reasons of NVML's clocks-event (formerly throttle) bitmask, named
/// as `cim_gpu_throttle_active{reason}` and the `throttled` events name them.
public enum GPUThrottleReason: String, Sendable, Codable, CaseIterable {
    /// `nvmlClocksEventReasonGpuIdle` (0x1): nothing runs; not a fault.
    case idle
    /// `...ApplicationsClocksSetting` (0x2): clocks set by the operator.
    case applicationsClocks = "applications_clocks"
    /// `...SwPowerCap` (0x4): the power limit.
    case powerCap = "power_cap"
    /// `...HwSlowdown` (0x8): hardware slowdown (thermal or power brake).
    case hwSlowdown = "hw_slowdown"
    /// `...SyncBoost` (0x10): held to the slowest GPU of a sync-boost group.
    case syncBoost = "sync_boost"
    /// `...SwThermalSlowdown` (0x20): the driver keeps the GPU under its temperature target.
    case thermal
    /// `...HwThermalSlowdown` (0x40): the hardware's thermal protection.
    case hwThermal = "hw_thermal"
    /// `...HwPowerBrakeSlowdown` (0x80): an external power brake.
    case hwPowerBrake = "hw_power_brake"
    /// `...DisplayClockSetting` (0x100).
    case displayClocks = "display_clocks"

    /// The bit of the reason in NVML's mask.
    public var bit: UInt64 {
        switch self {
        case .idle: 0x1
        case .applicationsClocks: 0x2
        case .powerCap: 0x4
        case .hwSlowdown: 0x8
        case .syncBoost: 0x10
        case .thermal: 0x20
        case .hwThermal: 0x40
        case .hwPowerBrake: 0x80
        case .displayClocks: 0x100
        }
    }

    /// Whether the reason slows work down against the operator's will (`throttled` events are published
    /// for these only; idle and clock settings are states, not faults).
    public var isFault: Bool {
        switch self {
        case .idle, .applicationsClocks, .displayClocks: false
        default: true
        }
    }

    /// The reasons set in an NVML mask, in declaration order; unknown bits are ignored.
    public static func reasons(inMask mask: UInt64) -> [GPUThrottleReason] {
        allCases.filter { mask & $0.bit != 0 }
    }
}
