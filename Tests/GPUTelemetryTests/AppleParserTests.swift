import Testing

@testable import GPUTelemetry

@Suite struct AppleParserTests {
    @Test func readsOnePowermetricsDocument() throws {
        let samples = PowermetricsParser.parse(try GPUFixtures.bytes(GPUFixtures.powermetrics))
        #expect(samples.count == 1)
        let sample = try #require(samples.first)
        #expect(sample.hardwareModel == "Mac16,8")
        #expect(sample.elapsedSeconds == 5.005449083)
        let reading = sample.reading
        #expect(reading.clockGraphicsHertz == 338_000_000)  // freq_hz 338 is MHz
        #expect(abs(reading.utilizationGPU! - (1 - 0.995324)) < 1e-12)
        #expect(abs(reading.powerWatts! - 0.009 / 5.005449083) < 1e-12)  // 9 mJ over the sample
        #expect(reading.memoryUsedBytes == nil)
        #expect(reading.temperatureGPUCelsius == nil)
    }

    @Test func readsEveryNULSeparatedDocument() throws {
        let samples = PowermetricsParser.parse(try GPUFixtures.bytes(GPUFixtures.powermetricsMultiple))
        #expect(samples.map { $0.reading.clockGraphicsHertz! / 1_000_000 } == [426.525, 479.398, 867.616, 483.431, 458.421])
        #expect(samples.map { $0.elapsedSeconds! } == [5.004758375, 5.014447083, 5.010073541, 5.014230916, 5.009178500])
        let energies = [19.0, 107, 788, 146, 126]
        for (sample, millijoules) in zip(samples, energies) {
            #expect(abs(sample.reading.powerWatts! - millijoules / 1000 / sample.elapsedSeconds!) < 1e-12)
        }
        #expect(abs(samples[2].reading.utilizationGPU! - (1 - 0.917447)) < 1e-12)
    }

    @Test func skipsGarbagePlists() throws {
        #expect(PowermetricsParser.parse(Array("<plist><dict><key>gpu</key>".utf8)).isEmpty)
        #expect(PowermetricsParser.parse([0xFF, 0x00, 0xFE, 0x00]).isEmpty)
        #expect(PowermetricsParser.parse([]).isEmpty)
        let wrongTypes = """
            <?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>elapsed_ns</key><string>5</string>\
            <key>gpu</key><dict><key>freq_hz</key><true/><key>idle_ratio</key><real>7</real></dict></dict></plist>
            """
        let sample = try #require(PowermetricsParser.parse(Array(wrongTypes.utf8)).first)
        #expect(sample.reading.clockGraphicsHertz == nil)
        #expect(sample.reading.utilizationGPU == nil)
        #expect(sample.reading.powerWatts == nil)
        #expect(sample.elapsedSeconds == nil)
    }

    @Test func readsTheIORegistryPerformanceStatistics() throws {
        let text = String(decoding: try GPUFixtures.bytes(GPUFixtures.ioreg), as: UTF8.self)
        let accelerators = IORegistryParser.parse(text)
        #expect(accelerators.count == 1)
        let gpu = try #require(accelerators.first)
        #expect(gpu.className == "AGXAcceleratorG13X")
        #expect(gpu.model == "gpu,t6000")
        #expect(gpu.coreCount == nil)  // cut off in the partial capture
        #expect(gpu.statistics["TiledSceneBytes"] == 1_572_864)
        #expect(gpu.reading.gpu == "apple-AGXAcceleratorG13X-0")
        #expect(gpu.reading.utilizationGPU == 0.02)
        #expect(gpu.reading.utilizationRenderer == 0.02)
        #expect(gpu.reading.utilizationTiler == 0.02)
        #expect(gpu.reading.memoryUsedBytes == 340_983_808)
        #expect(gpu.reading.memoryReservedBytes == 1_214_005_248)
        #expect(gpu.reading.memoryTotalBytes == nil)
        #expect(gpu.reading.powerWatts == nil)
    }

    @Test func readsRegistryValuesAsTheTextParserReadsTheirText() throws {
        let text = String(decoding: try GPUFixtures.bytes(GPUFixtures.ioreg), as: UTF8.self)
        let parsed = try #require(IORegistryParser.parse(text).first)
        let direct = IORegistryParser.accelerator(
            index: 0,
            className: "AGXAcceleratorG13X",
            model: "gpu,t6000",
            coreCount: nil,
            statistics: parsed.statistics
        )
        #expect(direct == parsed)
        let second = IORegistryParser.accelerator(
            index: 1,
            className: "AGXAcceleratorG16X",
            model: "",
            coreCount: 40,
            statistics: ["Device Utilization %": -1, "Renderer Utilization %": 100, "In use system memory": -5, "Alloc system memory": .max]
        )
        #expect(second.reading.gpu == "apple-AGXAcceleratorG16X-1")
        #expect(second.reading.index == 1)
        #expect(second.reading.model == "AGXAcceleratorG16X")  // an empty model is no model
        #expect(second.coreCount == 40)
        #expect(second.reading.utilizationGPU == nil)
        #expect(second.reading.utilizationRenderer == 1)
        #expect(second.reading.memoryUsedBytes == nil)
        #expect(second.reading.memoryReservedBytes == UInt64(Int64.max))
    }

    @Test func doesNotMistakeTheDriverMemoryKey() {
        let text = """
            +-o AGXAcceleratorG14X  <class AGXAcceleratorG14X>
              "PerformanceStatistics" = {"In use system memory (driver)"=5,"Device Utilization %"=250,"Tiler Utilization %"=x}
            """
        let gpu = IORegistryParser.parse(text).first
        #expect(gpu?.reading.memoryUsedBytes == nil)
        #expect(gpu?.reading.utilizationGPU == nil)  // 250 % is not a utilization
        #expect(gpu?.reading.utilizationTiler == nil)
    }
}
