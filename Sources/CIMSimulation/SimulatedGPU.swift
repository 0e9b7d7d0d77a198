/// One simulated GPU: its identity and readings that drift like a loaded accelerator's.
struct SimulatedGPU: Sendable {
    static let nodes: [(node: String, model: String, memory: Int64, count: Int)] = [
        ("gpu-node-1", "NVIDIA H100 80GB HBM3", 85_520_809_984, 4),
        ("gpu-node-2", "NVIDIA RTX 4090", 25_757_220_864, 2),
        ("dgx-01", "NVIDIA A100-SXM4-40GB", 42_949_672_960, 2),
        ("mac-studio", "Apple M2 Ultra", 206_158_430_208, 1),
    ]

    let node: String
    let index: Int
    let uuid: String
    let model: String
    let memoryTotal: Int64
    var utilization: Double
    var memoryUsed: Double
    var temperature: Double

    /// Every GPU of every node, with starting readings drawn from `random`.
    static func fleet(random: inout SplitMix64) -> [SimulatedGPU] {
        nodes.flatMap { node in
            (0..<node.count).map { index in
                SimulatedGPU(
                    node: node.node,
                    index: index,
                    uuid: "GPU-" + SimulatedID.uuidV4(random: &random),
                    model: node.model,
                    memoryTotal: node.memory,
                    utilization: random.double(in: 5...60),
                    memoryUsed: random.double(in: 0.1...0.6),
                    temperature: random.double(in: 35...55)
                )
            }
        }
    }

    /// Moves the readings a step (a bounded random walk).
    mutating func drift(random: inout SplitMix64) {
        utilization = min(100, max(0, utilization + random.double(in: -12...12)))
        memoryUsed = min(0.98, max(0.02, memoryUsed + random.double(in: -0.05...0.05)))
        temperature = min(90, max(30, temperature + (utilization - 50) / 50 + random.double(in: -1.5...1.5)))
    }

    /// Board power: idle plus a share of the limit that follows utilisation.
    var power: Double { model.hasPrefix("Apple") ? 15 + utilization * 0.6 : 60 + utilization * 3.4 }
}
