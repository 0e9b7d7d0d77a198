/// The exposition of checked, sorted families as parts, one per family, each rendered when it is read (see
/// ``ExpositionFormat/renderParts(_:)``); joined they are the bytes of ``ExpositionFormat/render(_:)``.
public struct ExpositionParts: Sequence, Sendable {
    let format: ExpositionFormat
    let families: [MetricFamily]

    public struct Iterator: IteratorProtocol {
        let format: ExpositionFormat
        let families: [MetricFamily]
        var index = 0
        var finished = false

        public mutating func next() -> [UInt8]? {
            guard !finished else { return nil }
            var writer = ExpositionWriter(format: format, capacity: index < families.count ? 256 + families[index].series.count * 256 : 64)
            if index < families.count {
                writer.write(families[index])
                index += 1
            }
            if index == families.count {
                writer.finish()
                finished = true
            }
            return writer.bytes
        }
    }

    public func makeIterator() -> Iterator { Iterator(format: format, families: families) }
}
