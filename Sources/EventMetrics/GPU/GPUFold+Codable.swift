import Foundation
import GPUTelemetry

extension GPUFold {
    /// The state as JSON with a stable order (sorted keys, readings and counters sorted), for the snapshot:
    /// equal folds give equal bytes.
    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Restores ``encoded()``; `nil` when the text is not such a state.
    static func decoded(_ text: String) -> GPUFold? {
        try? JSONDecoder().decode(GPUFold.self, from: Data(text.utf8))
    }

    struct CounterEntry: Codable {
        var key: CounterKey
        var count: UInt64
    }

    enum CodingKeys: String, CodingKey {
        case last, counters, samples, rejected
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let readings = try container.decode([Last].self, forKey: .last)
        let entries = try container.decode([CounterEntry].self, forKey: .counters)
        guard readings.count <= Self.maxGPUs, entries.count <= Self.maxGPUs * 4 else {
            throw DecodingError.dataCorruptedError(forKey: .last, in: container, debugDescription: "more GPUs than a fold holds")
        }
        self.init()
        for entry in readings {
            last[entry.labels.node + "\u{0}" + entry.labels.gpu + "\u{0}" + entry.labels.migInstance] = entry
        }
        for entry in entries { counters[entry.key] = entry.count }
        samples = try container.decode([String: UInt64].self, forKey: .samples)
        rejected = try container.decode(UInt64.self, forKey: .rejected)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(last.sorted { $0.key < $1.key }.map(\.value), forKey: .last)
        let entries = counters.map { CounterEntry(key: $0.key, count: $0.value) }.sorted { Self.order($0.key) < Self.order($1.key) }
        try container.encode(entries, forKey: .counters)
        try container.encode(samples, forKey: .samples)
        try container.encode(rejected, forKey: .rejected)
    }

    private static func order(_ key: CounterKey) -> [String] {
        let labels = key.labels
        return [labels.node, labels.gpu, labels.migInstance, key.kind, key.extra, String(labels.index), labels.model, labels.vendor]
    }
}

extension Array where Element == String {
    fileprivate static func < (lhs: Self, rhs: Self) -> Bool { lhs.lexicographicallyPrecedes(rhs) }
}
