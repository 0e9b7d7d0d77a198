import GPUTelemetry

/// One simulated GPU (or Apple Silicon GPU): its identity, MIG instances, and readings that drift like a loaded
/// accelerator's, plus the fault state the simulator plays with (ECC counts, throttling, a lost GPU).
struct SimulatedGPU: Sendable {
    static let nodes: [(node: String, vendor: GPUVendor, model: String, memory: UInt64, count: Int, migGPU: Int?)] = [
        ("gpu-node-1", .nvidia, "NVIDIA H100 80GB HBM3", 85_520_809_984, 4, 3),
        ("gpu-node-2", .nvidia, "NVIDIA GeForce RTX 4090", 25_757_220_864, 2, nil),
        ("dgx-01", .nvidia, "NVIDIA H200", 150_754_820_096, 2, nil),
        ("mac-studio", .apple, "Apple M2 Ultra", 206_158_430_208, 1, nil),
    ]
    /// The driver version the simulated NVIDIA nodes report.
    static let nvidiaDriver = "590.48.01"

    let node: String
    let vendor: GPUVendor
    let index: Int
    let uuid: String
    let model: String
    let memoryTotal: UInt64
    /// MIG instances (UUID, profile, memory share) when MIG is enabled.
    let migInstances: [(uuid: String, profile: String, share: Double)]
    var utilization: Double
    var memoryUsed: Double
    var temperature: Double
    var energyJoules: Double
    var eccCorrected: UInt64 = 0
    var eccUncorrected: UInt64 = 0
    var throttle: GPUThrottleReason?
    var lost = false

    /// Every GPU of every node, with starting readings drawn from `random`.
    static func fleet(random: inout SplitMix64) -> [SimulatedGPU] {
        nodes.flatMap { node in
            (0..<node.count).map { index in
                let mig: [(String, String, Double)] =
                    node.migGPU == index
                    ? [
                        ("MIG-" + SimulatedID.uuidV4(random: &random), "3g.40gb", 0.5),
                        ("MIG-" + SimulatedID.uuidV4(random: &random), "2g.20gb", 0.25),
                    ]
                    : []
                return SimulatedGPU(
                    node: node.node,
                    vendor: node.vendor,
                    index: index,
                    uuid: node.vendor == .apple ? "apple-AGXAcceleratorG14D-\(index)" : "GPU-" + SimulatedID.uuidV4(random: &random),
                    model: node.model,
                    memoryTotal: node.memory,
                    migInstances: mig,
                    utilization: random.double(in: 5...60),
                    memoryUsed: random.double(in: 0.1...0.6),
                    temperature: random.double(in: 35...55),
                    energyJoules: random.double(in: 1e5...1e7).rounded()
                )
            }
        }
    }

    /// Moves the readings a step (a bounded random walk) over `seconds`.
    mutating func drift(random: inout SplitMix64, seconds: Double) {
        utilization = min(100, max(0, utilization + random.double(in: -12...12)))
        memoryUsed = min(0.98, max(0.02, memoryUsed + random.double(in: -0.05...0.05)))
        temperature = min(90, max(30, temperature + (utilization - 50) / 50 + random.double(in: -1.5...1.5)))
        energyJoules += (power * seconds).rounded()
    }

    /// Board power: idle plus a share of the limit that follows utilisation.
    var power: Double { vendor == .apple ? 15 + utilization * 0.6 : 60 + utilization * 3.4 }

    var powerLimit: Double? { vendor == .apple ? nil : (model.contains("4090") ? 450 : 700) }

    /// The reading as the agent would publish it (the whole GPU, then its MIG instances).
    func readings() -> [GPUReading] {
        func rounded(_ value: Double, _ digits: Double) -> Double { (value * digits).rounded() / digits }
        var reading = GPUReading(gpu: uuid, index: index, model: model)
        let used = UInt64(memoryUsed * Double(memoryTotal))
        if vendor == .apple {
            reading.utilizationGPU = rounded(utilization / 100, 100)
            reading.utilizationRenderer = rounded(utilization * 0.9 / 100, 100)
            reading.utilizationTiler = rounded(utilization * 0.8 / 100, 100)
            reading.memoryUsedBytes = used
            reading.powerWatts = rounded(power, 10)
            reading.clockGraphicsHertz = rounded(400 + utilization * 9.98, 1) * 1_000_000
            return [reading]
        }
        reading.migEnabled = !migInstances.isEmpty
        if migInstances.isEmpty {
            reading.utilizationGPU = rounded(utilization / 100, 100)
            reading.utilizationMemory = rounded(utilization * 0.4 / 100, 100)
        }
        reading.memoryUsedBytes = used
        reading.memoryTotalBytes = memoryTotal
        reading.temperatureGPUCelsius = temperature.rounded()
        reading.temperatureMemoryCelsius = (temperature + 6).rounded()
        reading.powerWatts = rounded(power, 100)
        reading.powerLimitWatts = powerLimit
        reading.energyJoules = energyJoules
        reading.clockSMHertz = utilization > 5 ? 1_980_000_000 : 345_000_000
        reading.clockGraphicsHertz = reading.clockSMHertz
        reading.clockMemoryHertz = 2_619_000_000
        reading.performanceState = 0
        reading.throttleReasons = throttle.map { [$0] } ?? (utilization < 5 ? [.idle] : [])
        reading.eccCorrectedVolatile = eccCorrected
        reading.eccUncorrectedVolatile = eccUncorrected
        reading.eccCorrectedAggregate = eccCorrected
        reading.eccUncorrectedAggregate = eccUncorrected
        var all = [reading]
        for instance in migInstances {
            var mig = GPUReading(gpu: uuid, index: index, model: model, migInstance: instance.uuid)
            mig.migProfile = instance.profile
            mig.memoryTotalBytes = UInt64(Double(memoryTotal) * instance.share)
            mig.memoryUsedBytes = UInt64(Double(used) * instance.share)
            all.append(mig)
        }
        return all
    }
}
