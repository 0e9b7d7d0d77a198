import Foundation

/// Parses `nvidia-smi -L`, the one nvidia-smi output that names MIG instances (the `--query-gpu` CSV has a row per
/// whole GPU only):
///
/// ```
/// GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-…)
///   MIG 3g.40gb     Device  0: (UUID: MIG-…)
/// ```
///
/// A MIG line belongs to the GPU line above it. Lines that are neither are skipped; a MIG line before any GPU line,
/// or without a `MIG-` UUID, is skipped too — nothing is invented.
public enum NvidiaSMIListParser {
    /// The arguments that produce the list.
    public static let arguments = ["-L"]

    /// One MIG instance: its parent GPU's UUID, its own UUID, and its profile (`3g.40gb`).
    public struct Instance: Sendable, Equatable {
        public var gpu: String
        public var uuid: String
        public var profile: String?
    }

    public static func parse(_ text: String) -> [Instance] {
        var instances: [Instance] = []
        var parent: String?
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard let uuid = uuid(in: trimmed) else { continue }
            if trimmed.hasPrefix("GPU ") {
                parent = uuid.hasPrefix("GPU-") ? uuid : nil
            } else if trimmed.hasPrefix("MIG "), uuid.hasPrefix("MIG-"), let parent {
                let profile = trimmed.dropFirst(4).prefix { $0 != " " && $0 != "\t" }
                let named = !profile.isEmpty && profile != "Device"
                instances.append(Instance(gpu: parent, uuid: uuid, profile: named ? String(profile) : nil))
            }
        }
        return instances
    }

    /// The text between `(UUID: ` and the next `)`, if it is a plausible id (no spaces, at most 96 bytes).
    static func uuid(in line: Substring) -> String? {
        guard let start = line.range(of: "(UUID: ") else { return nil }
        let rest = line[start.upperBound...]
        guard let end = rest.firstIndex(of: ")") else { return nil }
        let uuid = rest[..<end]
        guard !uuid.isEmpty, uuid.utf8.count <= 96, !uuid.contains(" ") else { return nil }
        return String(uuid)
    }
}
