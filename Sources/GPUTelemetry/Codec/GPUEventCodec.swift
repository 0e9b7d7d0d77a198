import Foundation

/// The one JSON encoding of GPU events, used by the agent, `simulate` and the fold (which decodes it).
///
/// GPU events are few (one `sampled` per node and interval), so Foundation's coders are fine here; the fold's
/// hot path for domain events never reaches this code (it checks the subject prefix first).
public enum GPUEventCodec {
    /// The largest payload the fold decodes (a node with hundreds of GPUs fits easily).
    public static let maxPayloadBytes = 1 << 20

    /// The event as compact JSON with sorted keys; absent values are left out.
    public static func encode(_ event: GPUEvent) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .throw
        // Non-finite numbers cannot be written as JSON: such a reading is sent without them (see sanitized()).
        return (try? Array(encoder.encode(event.sanitized()))) ?? []
    }

    /// Decodes a payload; `nil` for anything that is not a GPU event of this format (wrong JSON, missing
    /// envelope fields, an unknown event type, a number out of range, a payload over ``maxPayloadBytes``).
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> GPUEvent? {
        guard bytes.count <= maxPayloadBytes, !bytes.isEmpty else { return nil }
        return try? JSONDecoder().decode(GPUEvent.self, from: Data(bytes))
    }

    /// Decodes a payload held in an array.
    public static func decode(_ bytes: [UInt8]) -> GPUEvent? {
        bytes.withUnsafeBytes { decode($0) }
    }
}

extension GPUEvent {
    /// The event with every non-finite number removed (a reading that is not a number is absent, never 0).
    func sanitized() -> GPUEvent {
        var copy = self
        if let interval = intervalSeconds, !interval.isFinite { copy.intervalSeconds = nil }
        copy.gpus = gpus?.map { $0.sanitized() }
        return copy
    }
}

extension GPUReading {
    func sanitized() -> GPUReading {
        var copy = self
        let paths: [WritableKeyPath<GPUReading, Double?>] = [
            \.utilizationGPU, \.utilizationMemory, \.utilizationRenderer, \.utilizationTiler, \.temperatureGPUCelsius,
            \.temperatureMemoryCelsius, \.powerWatts, \.powerLimitWatts, \.energyJoules, \.clockSMHertz, \.clockMemoryHertz,
            \.clockGraphicsHertz, \.pcieRxBytesPerSecond, \.pcieTxBytesPerSecond, \.fanRatio,
        ]
        for path in paths where copy[keyPath: path].map({ !$0.isFinite }) ?? false { copy[keyPath: path] = nil }
        return copy
    }
}
