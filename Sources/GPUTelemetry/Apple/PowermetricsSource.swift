import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the Apple GPU by running `powermetrics --samplers gpu_power -i <ms> -n 1 -f plist` (see
/// ``PowermetricsParser``): GPU active residency, frequency and power. powermetrics needs root, so the source exists
/// only when the process runs as root. The executable is `CIM_POWERMETRICS`, else `/usr/bin/powermetrics`.
///
/// One sample takes the sampling window (`window`, 1 s by default) — powermetrics measures over it before it prints.
public struct PowermetricsSource: GPUSource {
    public let vendor = GPUVendor.apple
    public let name = "powermetrics"
    /// The default executable on macOS.
    public static let defaultPath = "/usr/bin/powermetrics"
    public let executable: String
    /// powermetrics' sampling window (`-i`).
    public var window: Duration = .seconds(1)
    /// How long one run may take beyond the window before it is killed.
    public var timeout: Duration = .seconds(10)

    /// Finds the executable: `CIM_POWERMETRICS`, else ``defaultPath`` when it is executable; `nil` when there is
    /// none, or when `root` is false (powermetrics refuses to run without root).
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment, root: Bool = geteuid() == 0) {
        guard root else { return nil }
        if let path = environment["CIM_POWERMETRICS"], !path.isEmpty {
            executable = path
        } else if FileManager.default.isExecutableFile(atPath: Self.defaultPath) {
            executable = Self.defaultPath
        } else {
            return nil
        }
    }

    /// The arguments of one run: one sample of the GPU power sampler over ``window``, as a plist.
    public var arguments: [String] {
        let milliseconds = max(1, Int(window.components.seconds * 1000 + window.components.attoseconds / 1_000_000_000_000_000))
        return ["--samplers", "gpu_power", "-i", String(milliseconds), "-n", "1", "-f", "plist"]
    }

    public func sample() throws(GPUSourceError) -> GPUSample {
        let output = try GPUToolRun.run(executable, arguments, timeout: window + timeout, hint: "powermetrics needs root on macOS")
        guard let last = PowermetricsParser.parse(output).last else {
            throw GPUSourceError("\(executable) printed no plist with a gpu sample: is it powermetrics?")
        }
        return GPUSample(vendor: .apple, driver: nil, readings: [last.reading])
    }
}
