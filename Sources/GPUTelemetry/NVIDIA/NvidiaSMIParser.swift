/// Parses `nvidia-smi --query-gpu=… --format=csv` output (header and units kept, as nvidia_gpu_exporter runs it)
/// into readings.
///
/// Columns are found by their header names without the unit (`memory.used [MiB]` → `memory.used`), with the
/// aliases drivers use (`clocks_throttle_reasons.*` / `clocks_event_reasons.*`, `clocks.sm` / `clocks.current.sm`),
/// so both our own short query and a full `AUTO` capture parse. The output is unquoted, so a row whose column
/// count differs from the header's is rejected with the whole output (a comma inside a value cannot be told
/// from a separator). Absent tokens (`[N/A]`, `N/A`, `[Not Supported]`, …) leave the field `nil`.
public enum NvidiaSMIParser {
    /// The fields our exec path asks for (all in the exporter's 2021 list, so old drivers have them).
    public static let queryFields = [
        "index", "uuid", "name", "driver_version", "pci.bus_id", "utilization.gpu", "utilization.memory", "memory.total",
        "memory.used", "temperature.gpu", "temperature.memory", "power.draw", "enforced.power.limit", "clocks.current.sm",
        "clocks.current.memory", "clocks.current.graphics", "pstate", "fan.speed", "clocks_throttle_reasons.active",
        "ecc.errors.corrected.volatile.total", "ecc.errors.uncorrected.volatile.total", "ecc.errors.corrected.aggregate.total",
        "ecc.errors.uncorrected.aggregate.total", "retired_pages.single_bit_ecc.count", "retired_pages.double_bit.count",
        "mig.mode.current",
    ]

    /// The arguments of the exec path: `--query-gpu=<fields> --format=csv`.
    public static var arguments: [String] { ["--query-gpu=" + queryFields.joined(separator: ","), "--format=csv"] }

    /// The result of one parse: the driver version and every GPU's reading.
    public struct Output: Sendable, Equatable {
        public var driver: String?
        public var readings: [GPUReading]
    }

    /// Why an output was rejected.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Parses the output's bytes (invalid UTF-8 becomes U+FFFD in text fields; numbers are ASCII).
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> Output {
        try parse(String(decoding: bytes, as: UTF8.self))
    }

    /// Parses the output: a header line, then one line per GPU.
    public static func parse(_ text: String) throws(ParseError) -> Output {
        let lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline)
        guard let headerLine = lines.first else { throw ParseError(description: "nvidia-smi printed nothing") }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false).map { column -> (name: String, unit: String?) in
            let trimmed = column.trimmingSpaces()
            if let open = trimmed.firstIndex(of: "["), trimmed.hasSuffix("]") {
                return (
                    String(trimmed[..<open].trimmingSpaces()), String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
                )
            }
            return (String(trimmed), nil)
        }
        var columns: [String: Int] = [:]
        for (position, column) in header.enumerated() where columns[column.name] == nil { columns[column.name] = position }
        guard columns["uuid"] != nil || columns["index"] != nil else {
            throw ParseError(description: "the header has neither uuid nor index: not --query-gpu CSV output")
        }
        guard lines.count > 1 else { throw ParseError(description: "no GPU rows after the header (truncated output?)") }
        var output = Output(driver: nil, readings: [])
        for (number, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
            guard cells.count == header.count else {
                throw ParseError(description: "row \(number + 1) has \(cells.count) columns, the header \(header.count)")
            }
            let row = Row(cells: cells, columns: columns, units: header.map(\.unit))
            output.readings.append(row.reading(position: number))
            if output.driver == nil { output.driver = row.text("driver_version") }
        }
        return output
    }

    /// One row, with its header's column positions and units.
    struct Row {
        let cells: [Substring]
        let columns: [String: Int]
        let units: [String?]

        func cell(_ names: String...) -> (value: Substring, unit: String?)? {
            for name in names { if let position = columns[name] { return (cells[position], units[position]) } }
            return nil
        }

        func text(_ names: String...) -> String? {
            for name in names {
                if let position = columns[name], !NvidiaSMIValue.isAbsent(cells[position]) { return String(cells[position]) }
            }
            return nil
        }

        /// A number converted to base units by the header's unit (or the value's own unit word).
        func quantity(_ names: String...) -> Double? {
            for name in names {
                guard let position = columns[name] else { continue }
                let cell = cells[position]
                guard let value = NvidiaSMIValue.number(cell) else { return nil }
                let unit = units[position] ?? cell.split(separator: " ").dropFirst().first.map(String.init)
                switch unit {
                case "MiB": return value * 1_048_576
                case "MHz": return value * 1_000_000
                case "%": return value / 100
                case "W", nil: return value
                default: return nil  // a unit this parser does not know is not guessed at
                }
            }
            return nil
        }

        func bytes(_ name: String) -> UInt64? {
            guard let value = quantity(name), value >= 0, value < 0x1p63 else { return nil }
            return UInt64(value)
        }

        func count(_ name: String) -> UInt64? {
            guard let position = columns[name] else { return nil }
            return NvidiaSMIValue.count(cells[position])
        }

        func reading(position: Int) -> GPUReading {
            let index = text("index").flatMap { Int($0) } ?? position
            let uuid = text("uuid") ?? text("pci.bus_id") ?? "nvidia-\(index)"
            var reading = GPUReading(gpu: uuid, index: index, model: text("name") ?? "unknown")
            reading.utilizationGPU = quantity("utilization.gpu")
            reading.utilizationMemory = quantity("utilization.memory")
            reading.memoryTotalBytes = bytes("memory.total")
            reading.memoryUsedBytes = bytes("memory.used")
            reading.memoryReservedBytes = bytes("memory.reserved")
            reading.temperatureGPUCelsius = quantity("temperature.gpu")
            reading.temperatureMemoryCelsius = quantity("temperature.memory")
            reading.powerWatts = quantity("power.draw")
            reading.powerLimitWatts = quantity("enforced.power.limit", "power.limit")
            reading.clockSMHertz = quantity("clocks.current.sm", "clocks.sm")
            reading.clockMemoryHertz = quantity("clocks.current.memory", "clocks.mem")
            reading.clockGraphicsHertz = quantity("clocks.current.graphics", "clocks.gr")
            reading.performanceState = cell("pstate").flatMap { NvidiaSMIValue.performanceState($0.value) }
            reading.fanRatio = quantity("fan.speed")
            if let mask = cell("clocks_event_reasons.active", "clocks_throttle_reasons.active").flatMap({ NvidiaSMIValue.hexMask($0.value) }) {
                reading.throttleReasons = GPUThrottleReason.reasons(inMask: mask)
            }
            reading.eccCorrectedVolatile = count("ecc.errors.corrected.volatile.total")
            reading.eccUncorrectedVolatile = count("ecc.errors.uncorrected.volatile.total")
            reading.eccCorrectedAggregate = count("ecc.errors.corrected.aggregate.total")
            reading.eccUncorrectedAggregate = count("ecc.errors.uncorrected.aggregate.total")
            reading.retiredPagesSingleBit = count("retired_pages.single_bit_ecc.count")
            reading.retiredPagesDoubleBit = count("retired_pages.double_bit.count")
            reading.remappedRowsCorrectable = count("remapped_rows.correctable")
            reading.remappedRowsUncorrectable = count("remapped_rows.uncorrectable")
            reading.migEnabled = cell("mig.mode.current").flatMap { NvidiaSMIValue.flag($0.value) }
            return reading
        }
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" || first == "\r" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
        return result
    }
}
