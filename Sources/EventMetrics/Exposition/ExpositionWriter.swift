/// Writes validated families as Prometheus text 0.0.4 or OpenMetrics 1.0.0.
struct ExpositionWriter {
    let format: ExpositionFormat
    private(set) var bytes: [UInt8] = []

    init(format: ExpositionFormat, capacity: Int) {
        self.format = format
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ family: MetricFamily) {
        writeMetadata(family)
        for series in family.series {
            switch series.value {
            case .count(let value):
                writeSample(name: family.name, labels: series.labels) { $0.append(decimal: value) }
            case .number(let value):
                writeSample(name: family.name, labels: series.labels) { $0.append(double: value) }
            case .histogram(let histogram):
                writeHistogram(name: family.name, labels: series.labels, histogram)
            }
        }
    }

    mutating func finish() {
        if format == .openMetrics { bytes.append(ascii: "# EOF\n") }
    }

    private mutating func writeMetadata(_ family: MetricFamily) {
        switch format {
        case .prometheus:
            writeComment("HELP", family.name[...]) { $0.append(escapedHelp: family.help, quotes: false) }
            writeComment("TYPE", family.name[...]) { $0.append(utf8: family.type.rawValue) }
        case .openMetrics:
            let name = family.openMetricsName
            writeComment("TYPE", name) { $0.append(utf8: family.type.rawValue) }
            if let unit = family.unit { writeComment("UNIT", name) { $0.append(utf8: unit) } }
            writeComment("HELP", name) { $0.append(escapedHelp: family.help, quotes: true) }
        }
    }

    private mutating func writeComment(_ keyword: StaticString, _ name: Substring, text: (inout [UInt8]) -> Void) {
        bytes.append(ascii: "# ")
        bytes.append(ascii: keyword)
        bytes.append(UInt8(ascii: " "))
        bytes.append(utf8: name)
        bytes.append(UInt8(ascii: " "))
        text(&bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    private mutating func writeHistogram(name: String, labels: [MetricLabel], _ histogram: HistogramValue) {
        var cumulative: UInt64 = 0
        for (index, count) in histogram.bucketCounts.enumerated() {
            cumulative &+= count
            let bound = index < histogram.upperBounds.count ? histogram.upperBounds[index] : .infinity
            writeSample(name: name, suffix: "_bucket", labels: labels, le: bound) { $0.append(decimal: cumulative) }
        }
        writeSample(name: name, suffix: "_sum", labels: labels) { $0.append(double: histogram.sum) }
        writeSample(name: name, suffix: "_count", labels: labels) { $0.append(decimal: cumulative) }
    }

    private mutating func writeSample(
        name: String,
        suffix: StaticString = "",
        labels: [MetricLabel],
        le: Double? = nil,
        value: (inout [UInt8]) -> Void
    ) {
        bytes.append(utf8: name)
        bytes.append(ascii: suffix)
        if !labels.isEmpty || le != nil {
            bytes.append(UInt8(ascii: "{"))
            for (index, label) in labels.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(utf8: label.name)
                bytes.append(ascii: "=\"")
                bytes.append(escapedLabelValue: label.value)
                bytes.append(UInt8(ascii: "\""))
            }
            if let le {
                if !labels.isEmpty { bytes.append(UInt8(ascii: ",")) }
                bytes.append(ascii: "le=\"")
                bytes.append(double: le)
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        value(&bytes)
        bytes.append(UInt8(ascii: "\n"))
    }
}

extension Array where Element == UInt8 {
    /// A label value with `\` → `\\`, `"` → `\"` and line feed → `\n`; every other byte as it is.
    mutating func append(escapedLabelValue value: String) {
        let utf8 = value.utf8
        if !utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) {
            append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append(ascii: "\\\\")
            case UInt8(ascii: "\""): append(ascii: "\\\"")
            case UInt8(ascii: "\n"): append(ascii: "\\n")
            default: append(byte)
            }
        }
    }

    /// HELP text with `\` → `\\` and line feed → `\n`, and (OpenMetrics) `"` → `\"`.
    mutating func append(escapedHelp text: String, quotes: Bool) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append(ascii: "\\\\")
            case UInt8(ascii: "\"") where quotes: append(ascii: "\\\"")
            case UInt8(ascii: "\n"): append(ascii: "\\n")
            default: append(byte)
            }
        }
    }
}
