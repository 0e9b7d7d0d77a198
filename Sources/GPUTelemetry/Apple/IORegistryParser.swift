import Foundation

/// Parses the text of `ioreg -r -d 1 -w 0 -c IOAccelerator`: each `+-o <Class>` entry's `PerformanceStatistics`
/// (Apple Silicon GPU statistics, readable without root) and its `model` / `IONameMatched` / `gpu-core-count`.
///
/// `Device Utilization %`, `Renderer Utilization %`, `Tiler Utilization %` (0…100) become ratios; `In use system
/// memory` is the memory GPU clients use (driver-reported system memory, not VRAM) and `Alloc system memory` what
/// they allocated. Keys are matched exactly, so `In use system memory (driver)` is not mistaken for the first.
/// Anything that does not parse leaves its field absent.
///
/// ``AppleIOKitSource`` reads the same properties from the registry itself and hands them to
/// ``accelerator(index:className:model:coreCount:statistics:)``, the entry point this text parser also ends in.
public enum IORegistryParser {
    /// One accelerator: its registry class, properties and the reading made from them.
    public struct Accelerator: Sendable, Equatable {
        public var className: String
        public var model: String?
        public var coreCount: Int?
        public var statistics: [String: Int64]
        public var reading: GPUReading
    }

    public static func parse(_ text: String) -> [Accelerator] {
        var accelerators: [Accelerator] = []
        var current: (className: String, properties: [String: Substring])?
        func finish() {
            guard let entry = current else { return }
            accelerators.append(accelerator(index: accelerators.count, className: entry.className, properties: entry.properties))
            current = nil
        }
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingSpaces()
            if trimmed.hasPrefix("+-o ") {
                finish()
                let name = trimmed.dropFirst(4).prefix { $0 != " " && $0 != "<" }
                current = (String(name), [:])
            } else if trimmed.hasPrefix("\""), current != nil, let equals = trimmed.range(of: "\" = ") {
                let key = trimmed[trimmed.index(after: trimmed.startIndex)..<equals.lowerBound]
                current?.properties[String(key)] = trimmed[equals.upperBound...]
            }
        }
        finish()
        return accelerators
    }

    static func accelerator(index: Int, className: String, properties: [String: Substring]) -> Accelerator {
        accelerator(
            index: index,
            className: className,
            model: properties["model"].flatMap(quoted) ?? properties["IONameMatched"].flatMap(quoted),
            coreCount: properties["gpu-core-count"].flatMap { Int($0.trimmingSpaces()) },
            statistics: properties["PerformanceStatistics"].map(dictionary) ?? [:]
        )
    }

    /// One accelerator from registry values already read (``AppleIOKitSource`` reads them with
    /// `IORegistryEntryCreateCFProperties`): the `index`th `IOAccelerator` entry, its class, its `model` (or
    /// `IONameMatched`), `gpu-core-count`, and the integer values of its `PerformanceStatistics`.
    public static func accelerator(index: Int, className: String, model: String?, coreCount: Int?, statistics: [String: Int64]) -> Accelerator {
        let model = model.flatMap { $0.isEmpty ? nil : $0 }
        var reading = GPUReading(gpu: "apple-\(className)-\(index)", index: index, model: model ?? className)
        func ratio(_ key: String) -> Double? {
            guard let value = statistics[key], (0...100).contains(value) else { return nil }
            return Double(value) / 100
        }
        reading.utilizationGPU = ratio("Device Utilization %")
        reading.utilizationRenderer = ratio("Renderer Utilization %")
        reading.utilizationTiler = ratio("Tiler Utilization %")
        if let used = statistics["In use system memory"], used >= 0 { reading.memoryUsedBytes = UInt64(used) }
        if let allocated = statistics["Alloc system memory"], allocated >= 0 { reading.memoryReservedBytes = UInt64(allocated) }
        return Accelerator(className: className, model: model, coreCount: coreCount, statistics: statistics, reading: reading)
    }

    /// `{"a"=1,"b"=2}` → integer values by key; non-integer values are left out.
    static func dictionary(_ text: Substring) -> [String: Int64] {
        guard text.first == "{", text.last == "}" else { return [:] }
        var result: [String: Int64] = [:]
        for pair in text.dropFirst().dropLast().split(separator: ",") {
            guard let equals = pair.lastIndex(of: "=") else { continue }
            let key = pair[..<equals].trimmingSpaces()
            guard key.count >= 2, key.first == "\"", key.last == "\"", let value = Int64(pair[pair.index(after: equals)...].trimmingSpaces()) else {
                continue
            }
            result[String(key.dropFirst().dropLast())] = value
        }
        return result
    }

    /// `"text"` → `text`; `<…>` data and other forms → nil.
    static func quoted(_ text: Substring) -> String? {
        let value = text.trimmingSpaces()
        guard value.count >= 2, value.first == "\"", value.last == "\"" else { return nil }
        let inner = value.dropFirst().dropLast()
        return inner.isEmpty ? nil : String(inner)
    }
}
