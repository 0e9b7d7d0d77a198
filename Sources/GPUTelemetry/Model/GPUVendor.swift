/// Who made a GPU; the `vendor` label of every `cim_gpu_*` series.
public enum GPUVendor: String, Sendable, Codable, CaseIterable {
    case nvidia
    case apple
}
