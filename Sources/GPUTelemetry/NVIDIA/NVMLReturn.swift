/// `nvmlReturn_t` values the binding handles by name.
public enum NVMLReturn: Int32, Sendable {
    case success = 0
    case uninitialized = 1
    case invalidArgument = 2
    case notSupported = 3
    case noPermission = 4
    case notFound = 6
    case insufficientSize = 7
    case driverNotLoaded = 9
    case timeout = 10
    case libraryNotFound = 12
    case functionNotFound = 13
    case gpuIsLost = 15
    case argumentVersionMismatch = 25
    case unknown = 999

    /// A short name for a return code, as written in partial readings (`power: not_supported`).
    public static func describe(_ code: Int32) -> String {
        switch NVMLReturn(rawValue: code) {
        case .success: "success"
        case .uninitialized: "uninitialized"
        case .invalidArgument: "invalid_argument"
        case .notSupported: "not_supported"
        case .noPermission: "no_permission"
        case .notFound: "not_found"
        case .insufficientSize: "insufficient_size"
        case .driverNotLoaded: "driver_not_loaded"
        case .timeout: "timeout"
        case .libraryNotFound: "library_not_found"
        case .functionNotFound: "function_not_found"
        case .gpuIsLost: "gpu_is_lost"
        case .argumentVersionMismatch: "argument_version_mismatch"
        case .unknown: "unknown"
        case nil: "error_\(code)"
        }
    }
}

/// A failure to use NVML: the return code and a message that says what failed.
public struct NVMLError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var description: String { message }
}
