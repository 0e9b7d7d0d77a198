import Foundation

/// Reads NVIDIA GPUs by running `nvidia-smi --query-gpu=… --format=csv` (what nvidia_gpu_exporter does): the
/// fallback when NVML cannot be loaded. The executable is `CIM_NVIDIA_SMI`, else `nvidia-smi` found on `PATH`.
/// When a GPU has MIG enabled, a second run, `nvidia-smi -L`, names its instances (UUID and profile: that list has no
/// per-instance memory or utilization). No Xid events on this path (nvidia-smi's CSV has none).
public struct NvidiaSMISource: GPUSource {
    public let vendor = GPUVendor.nvidia
    public let name = "nvidia-smi"
    /// The executable's path.
    public let executable: String
    /// How long one run may take before it is killed.
    public var timeout: Duration = .seconds(10)

    /// Finds the executable: `CIM_NVIDIA_SMI`, else `nvidia-smi` on `PATH`; `nil` when there is none.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let path = environment["CIM_NVIDIA_SMI"], !path.isEmpty {
            executable = path
            return
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/nvidia-smi"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                executable = candidate
                return
            }
        }
        return nil
    }

    public func sample() throws(GPUSourceError) -> GPUSample {
        let output = try run()
        do {
            let parsed = try NvidiaSMIParser.parse(output)
            return GPUSample(vendor: .nvidia, driver: parsed.driver, readings: withMIGInstances(parsed.readings))
        } catch {
            throw GPUSourceError("cannot read the output of \(executable): \(error)")
        }
    }

    /// The readings with each MIG-enabled GPU followed by its instances from `nvidia-smi -L`. When the list cannot be
    /// had, the GPUs stay as they are and each MIG-enabled one notes `mig_instances: <why>`.
    func withMIGInstances(_ readings: [GPUReading]) -> [GPUReading] {
        guard readings.contains(where: { $0.migEnabled == true }) else { return readings }
        let instances: [NvidiaSMIListParser.Instance]
        var failure: String?
        do {
            instances = NvidiaSMIListParser.parse(String(decoding: try run(NvidiaSMIListParser.arguments), as: UTF8.self))
        } catch {
            instances = []
            failure = error.message
        }
        var result: [GPUReading] = []
        for var reading in readings {
            guard reading.migEnabled == true else {
                result.append(reading)
                continue
            }
            if let failure { reading.recordError("mig_instances", failure) }
            result.append(reading)
            for instance in instances where instance.gpu == reading.gpu {
                var mig = GPUReading(gpu: reading.gpu, index: reading.index, model: reading.model, migInstance: instance.uuid)
                mig.migProfile = instance.profile
                result.append(mig)
            }
        }
        return result
    }

    /// Runs nvidia-smi with `arguments` (by default the query) and returns its standard output.
    func run(_ arguments: [String] = NvidiaSMIParser.arguments) throws(GPUSourceError) -> [UInt8] {
        try GPUToolRun.run(executable, arguments, timeout: timeout, hint: "is the NVIDIA driver loaded?")
    }
}
