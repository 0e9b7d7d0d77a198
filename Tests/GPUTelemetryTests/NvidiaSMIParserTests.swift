import Testing

@testable import GPUTelemetry

@Suite struct NvidiaSMIParserTests {
    @Test func readsTheH200UnderLoad() throws {
        let output = try NvidiaSMIParser.parse(try GPUFixtures.csv(GPUFixtures.h200, state: "load"))
        #expect(output.driver == "590.48.01")
        #expect(output.readings.count == 1)
        let gpu = try #require(output.readings.first)
        #expect(gpu.gpu == "GPU-00000000-0000-0000-0000-000000000000")
        #expect(gpu.index == 0)
        #expect(gpu.model == "NVIDIA H200")
        #expect(gpu.utilizationGPU == 1.0)
        #expect(gpu.utilizationMemory == 0.07)
        #expect(gpu.memoryTotalBytes == 143_771 * 1_048_576)
        #expect(gpu.memoryUsedBytes == 32_362 * 1_048_576)
        #expect(gpu.memoryReservedBytes == 614 * 1_048_576)
        #expect(gpu.temperatureGPUCelsius == 52)
        #expect(gpu.temperatureMemoryCelsius == 40)
        #expect(gpu.powerWatts == 627.40)
        #expect(gpu.powerLimitWatts == 700)
        #expect(gpu.clockSMHertz == 1_980_000_000)
        #expect(gpu.clockGraphicsHertz == 1_980_000_000)
        #expect(gpu.clockMemoryHertz == 3_201_000_000)
        #expect(gpu.performanceState == 0)
        #expect(gpu.throttleReasons == [])
        #expect(gpu.eccCorrectedVolatile == 0)
        #expect(gpu.eccUncorrectedVolatile == 0)
        #expect(gpu.eccCorrectedAggregate == 0)
        #expect(gpu.eccUncorrectedAggregate == 0)
        #expect(gpu.remappedRowsCorrectable == 0)
        #expect(gpu.remappedRowsUncorrectable == 0)
        #expect(gpu.migEnabled == false)
        // [N/A] in the capture: absent, never 0
        #expect(gpu.fanRatio == nil)
        #expect(gpu.retiredPagesSingleBit == nil)
        #expect(gpu.retiredPagesDoubleBit == nil)
        // not in nvidia-smi's CSV at all
        #expect(gpu.energyJoules == nil)
        #expect(gpu.pcieRxBytesPerSecond == nil)
        #expect(gpu.errors == nil)
    }

    @Test func readsTheIdleH200WithItsIdleReason() throws {
        let gpu = try #require(try NvidiaSMIParser.parse(try GPUFixtures.csv(GPUFixtures.h200, state: "idle")).readings.first)
        #expect(gpu.utilizationGPU == 0)
        #expect(gpu.memoryUsedBytes == 0)
        #expect(gpu.temperatureGPUCelsius == 28)
        #expect(gpu.temperatureMemoryCelsius == 32)
        #expect(gpu.powerWatts == 77.71)
        #expect(gpu.clockSMHertz == 345_000_000)
        #expect(gpu.throttleReasons == [.idle])
    }

    @Test func readsTheH100WithMIGAndNoUtilization() throws {
        let gpu = try #require(try NvidiaSMIParser.parse(try GPUFixtures.csv(GPUFixtures.h100MIG, state: "load")).readings.first)
        #expect(gpu.model == "NVIDIA H100 80GB HBM3")
        #expect(gpu.migEnabled == true)
        #expect(gpu.utilizationGPU == nil)
        #expect(gpu.utilizationMemory == nil)
        #expect(gpu.memoryTotalBytes == 81_559 * 1_048_576)
        #expect(gpu.memoryUsedBytes == 11_125 * 1_048_576)
        #expect(gpu.temperatureGPUCelsius == 53)
        #expect(gpu.temperatureMemoryCelsius == 59)
        #expect(gpu.powerWatts == 433.78)
        #expect(gpu.clockSMHertz == 1_980_000_000)
        #expect(gpu.clockMemoryHertz == 2_619_000_000)
        #expect(gpu.eccCorrectedVolatile == 0)
        #expect(gpu.remappedRowsCorrectable == nil)
    }

    @Test func readsTheRTX4080WithItsExtraColumnAndBareNA() throws {
        let output = try NvidiaSMIParser.parse(try GPUFixtures.csv(GPUFixtures.rtx4080, state: "load"))
        #expect(output.driver == "595.71.05")
        let gpu = try #require(output.readings.first)
        #expect(gpu.model == "NVIDIA GeForce RTX 4080 SUPER")
        #expect(gpu.utilizationGPU == 0.07)
        #expect(gpu.utilizationMemory == 0.02)
        #expect(gpu.memoryTotalBytes == 16_376 * 1_048_576)
        #expect(gpu.memoryUsedBytes == 1_474 * 1_048_576)
        #expect(gpu.temperatureGPUCelsius == 46)
        #expect(gpu.temperatureMemoryCelsius == nil)  // "N/A" without brackets
        #expect(gpu.powerWatts == 84.24)
        #expect(gpu.powerLimitWatts == 320)
        #expect(gpu.clockSMHertz == 2_805_000_000)
        #expect(gpu.clockMemoryHertz == 11_251_000_000)
        #expect(gpu.performanceState == 2)
        #expect(gpu.fanRatio == 0)  // a real "0 %", not absent
        #expect(gpu.eccCorrectedVolatile == nil)
        #expect(gpu.eccUncorrectedAggregate == nil)
        #expect(gpu.migEnabled == nil)
    }

    @Test func readsOurOwnShortQuery() throws {
        let header = NvidiaSMIParser.queryFields.map { field -> String in
            switch field {
            case "memory.total", "memory.used": "\(field) [MiB]"
            case "utilization.gpu", "utilization.memory", "fan.speed": "\(field) [%]"
            case "power.draw", "enforced.power.limit": "\(field) [W]"
            case let clock where clock.hasPrefix("clocks.current"): "\(clock) [MHz]"
            default: field
            }
        }
        var values = [String](repeating: "[N/A]", count: header.count)
        func set(_ field: String, _ value: String) { values[NvidiaSMIParser.queryFields.firstIndex(of: field)!] = value }
        set("index", "3")
        set("uuid", "GPU-abc")
        set("name", "NVIDIA A100-SXM4-40GB")
        set("power.draw", "250.5 W")
        set("clocks_throttle_reasons.active", "0x0000000000000024")
        let text = header.joined(separator: ", ") + "\n" + values.joined(separator: ", ") + "\n"
        let gpu = try #require(try NvidiaSMIParser.parse(text).readings.first)
        #expect(gpu.index == 3)
        #expect(gpu.gpu == "GPU-abc")
        #expect(gpu.powerWatts == 250.5)
        #expect(gpu.throttleReasons == [.powerCap, .thermal])
        #expect(gpu.memoryUsedBytes == nil)
        #expect(gpu.utilizationGPU == nil)
    }

    @Test func rejectsATruncatedRow() throws {
        let csv = try GPUFixtures.csv(GPUFixtures.h200, state: "load")
        let row = try #require(csv.split(separator: "\n").last)
        let truncated = String(csv.prefix(csv.count - row.count / 2 - 1))  // the data row cut in the middle
        #expect(throws: NvidiaSMIParser.ParseError.self) { try NvidiaSMIParser.parse(truncated) }
        let headerOnly = String(csv.prefix(csv.count / 4))  // cut in the header: no GPU row at all
        #expect(throws: NvidiaSMIParser.ParseError.self) { try NvidiaSMIParser.parse(headerOnly) }
    }

    @Test func rejectsARowWithAnExtraComma() {
        let text = "index, uuid, name, power.draw [W]\n0, GPU-a, Weird, Name, 100 W\n"
        #expect(throws: NvidiaSMIParser.ParseError.self) { try NvidiaSMIParser.parse(text) }
    }

    @Test func rejectsOutputThatIsNotQueryCSV() {
        #expect(throws: NvidiaSMIParser.ParseError.self) { try NvidiaSMIParser.parse("") }
        #expect(throws: NvidiaSMIParser.ParseError.self) { try NvidiaSMIParser.parse("No devices were found\n") }
    }

    @Test func keepsANonUTF8ModelNameWithoutInventingNumbers() throws {
        var bytes = Array("index, uuid, name, power.draw [W], temperature.gpu\n0, GPU-a, NVIDIA ".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(" X, 12.5 W, 4\u{00}2\n".utf8)
        let gpu = try #require(try NvidiaSMIParser.parse(bytes).readings.first)
        #expect(gpu.model == "NVIDIA \u{FFFD}\u{FFFD} X")
        #expect(gpu.powerWatts == 12.5)
        #expect(gpu.temperatureGPUCelsius == nil)
    }

    @Test(arguments: [
        "[N/A]", "N/A", "[Not Supported]", "[Insufficient Permissions]", "[Unknown Error]", "", "[Function Not Found]", "12 W 3", "1e400 W", "nan W",
        "0x10 W",
    ])
    func leavesAbsentOrGarbledValuesAbsent(cell: String) throws {
        let gpu = try #require(try NvidiaSMIParser.parse("index, uuid, power.draw [W]\n0, GPU-a, \(cell)\n").readings.first)
        #expect(gpu.powerWatts == nil)
    }
}
