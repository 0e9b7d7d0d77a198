import Foundation

/// Parses `powermetrics --samplers gpu_power -f plist` output (root only): one plist document per sample,
/// documents separated by NUL bytes, as powermetrics streams them.
///
/// From each document's `gpu` dictionary: `freq_hz` (which, despite its name, is in MHz), `idle_ratio`
/// (active = 1 − idle) and `gpu_energy` (millijoules over `elapsed_ns`, turned into watts). A document that does
/// not parse, or lacks the `gpu` dictionary, is skipped; a missing or ill-typed key leaves its field absent.
public enum PowermetricsParser {
    /// One sample: the machine model (`hw_model`), its duration, and the GPU's reading.
    public struct Sample: Sendable, Equatable {
        public var hardwareModel: String?
        public var elapsedSeconds: Double?
        public var reading: GPUReading
    }

    /// Every sample in the output, oldest first.
    public static func parse(_ bytes: [UInt8]) -> [Sample] {
        bytes.split(separator: 0, omittingEmptySubsequences: true).compactMap { document in
            let trimmed = document.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
            guard !trimmed.isEmpty,
                let plist = try? PropertyListSerialization.propertyList(from: Data(trimmed), options: [], format: nil),
                let root = plist as? [String: Any], let gpu = root["gpu"] as? [String: Any]
            else { return nil }
            return sample(root: root, gpu: gpu)
        }
    }

    static func sample(root: [String: Any], gpu: [String: Any]) -> Sample {
        let model = root["hw_model"] as? String
        let elapsed = number(root["elapsed_ns"]).map { $0 / 1e9 }
        var reading = GPUReading(gpu: "apple-gpu-0", index: 0, model: model.map { "Apple GPU (\($0))" } ?? "Apple GPU")
        if let idle = number(gpu["idle_ratio"]), (0...1).contains(idle) { reading.utilizationGPU = 1 - idle }
        if let megahertz = number(gpu["freq_hz"]), megahertz >= 0 { reading.clockGraphicsHertz = megahertz * 1_000_000 }
        if let millijoules = number(gpu["gpu_energy"]), millijoules >= 0, let elapsed, elapsed > 0 {
            reading.powerWatts = millijoules / 1000 / elapsed
        }
        return Sample(hardwareModel: model, elapsedSeconds: elapsed, reading: reading)
    }

    /// A finite plist number (integer or real); booleans and strings are not numbers.
    static func number(_ value: Any?) -> Double? {
        guard let value, !(value is Bool), !(value is String) else { return nil }
        if let integer = value as? Int { return Double(integer) }
        if let double = value as? Double, double.isFinite { return double }
        return nil
    }
}
