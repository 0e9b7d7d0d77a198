import Foundation

/// Finds the best source on this machine: NVML, else nvidia-smi, else (as root) powermetrics, else (macOS) IOKit with IOReport.
public enum GPUSourceDiscovery {
    /// The first source that works, or an error naming every one tried and what to do.
    public static func open(environment: [String: String] = ProcessInfo.processInfo.environment) throws(GPUSourceError) -> any GPUSource {
        var tried: [String] = []
        do {
            return try NVMLSource()
        } catch {
            tried.append("NVML: \(error.message)")
        }
        if let smi = NvidiaSMISource(environment: environment) {
            do {
                _ = try smi.sample()
                return smi
            } catch {
                tried.append("nvidia-smi: \(error.message)")
            }
        } else {
            tried.append("nvidia-smi: not on PATH (set CIM_NVIDIA_SMI)")
        }
        if let powermetrics = PowermetricsSource(environment: environment) {
            do {
                _ = try powermetrics.sample()
                return powermetrics
            } catch {
                tried.append("powermetrics: \(error.message)")
            }
        }
        #if canImport(IOKit)
        let apple = AppleIOKitSource()
        do {
            _ = try apple.sample()
            return apple
        } catch {
            tried.append("IOKit: \(error.message)")
        }
        #endif
        throw GPUSourceError(
            "no GPU or GPU driver found (\(tried.joined(separator: "; "))); set CIM_NVML_LIBRARY or CIM_NVIDIA_SMI if the driver is elsewhere"
        )
    }
}
