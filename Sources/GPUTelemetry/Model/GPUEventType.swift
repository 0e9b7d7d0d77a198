/// The kinds of GPU event; each is published on `cim.gpu.<node>.<raw value>`.
public enum GPUEventType: String, Sendable, Codable, CaseIterable {
    /// Every interval: every GPU's and MIG instance's reading.
    case sampled
    /// An Xid error reported by the driver (`xid` holds the code).
    case xidError = "xid_error"
    /// ECC errors were counted (`bit` single or double, `scope` volatile or aggregate, `count` new errors).
    case eccError = "ecc_error"
    /// A throttle reason became active (`reason`).
    case throttled
    /// A throttle reason ended (`reason`).
    case throttleCleared = "throttle_cleared"
    /// A GPU seen before no longer answers.
    case gpuLost = "gpu_lost"
    /// A GPU answers for the first time, or again after it was lost.
    case gpuFound = "gpu_found"
    /// No GPU driver (NVML, nvidia-smi, IOKit) could be used (`error`).
    case driverUnavailable = "driver_unavailable"
    /// The driver answers again after `driver_unavailable`.
    case recovered
}
