import Foundation
import NATSTestSupport
import Testing

@testable import GPUTelemetry

/// NVML through `dlopen` for real: a C library with NVML's names and signatures, built by the test.
@Suite(.serialized) final class NVMLSourceTests {
    static let library = Result { try StubNVML.build() }

    let control: URL

    init() throws {
        control = FileManager.default.temporaryDirectory.appendingPathComponent("cim-nvml-control-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: control, withIntermediateDirectories: true)
        setenv("CIM_TEST_NVML_CONTROL", control.path, 1)
        setenv("CIM_TEST_NVML_GPUS", "3", 1)
        setenv("CIM_TEST_NVML_MIG_GPU", "2", 1)
        unsetenv("CIM_TEST_NVML_INIT_FAIL")
        unsetenv("CIM_TEST_NVML_MEMORY_V1_ONLY")
    }

    deinit {
        try? FileManager.default.removeItem(at: control)
    }

    func source() throws -> NVMLSource {
        NVMLSource(library: try NVMLLibrary(path: try Self.library.get()))
    }

    func touch(_ name: String, _ contents: String = "") throws {
        try contents.write(to: control.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    @Test func readsEveryFieldOfEveryGPU() throws {
        let sample = try source().sample()
        #expect(sample.vendor == .nvidia)
        #expect(sample.driver == "590.48.01")
        #expect(sample.readings.map(\.gpu).count == 5)  // 3 GPUs, 2 MIG instances of GPU 2
        let gpu = sample.readings[0]
        #expect(gpu.gpu == "GPU-00000000-0000-0000-0000-000000000000")
        #expect(gpu.model == "NVIDIA H200")
        #expect(gpu.utilizationGPU == 1.0)
        #expect(gpu.utilizationMemory == 0.07)
        #expect(gpu.memoryTotalBytes == 143_771 * 1_048_576)
        #expect(gpu.memoryUsedBytes == 32_362 * 1_048_576)
        #expect(gpu.memoryReservedBytes == 614 * 1_048_576)  // nvmlMemory_v2_t
        #expect(gpu.temperatureGPUCelsius == 52)
        #expect(gpu.temperatureMemoryCelsius == 40)  // field NVML_FI_DEV_MEMORY_TEMP
        #expect(gpu.retiredPagesSingleBit == nil)  // Hopper: NOT_SUPPORTED, absent and not an error
        #expect(gpu.retiredPagesDoubleBit == nil)
        #expect(gpu.remappedRowsCorrectable == 0)
        #expect(gpu.remappedRowsUncorrectable == 0)
        #expect(gpu.powerWatts == 627.4)
        #expect(gpu.powerLimitWatts == 700)
        #expect(gpu.energyJoules == 123_456.789)
        #expect(gpu.clockSMHertz == 1_980_000_000)
        #expect(gpu.clockGraphicsHertz == 1_980_000_000)
        #expect(gpu.clockMemoryHertz == 3_201_000_000)
        #expect(gpu.performanceState == 0)
        #expect(gpu.throttleReasons == [])
        #expect(gpu.eccCorrectedVolatile == 0)
        #expect(gpu.eccUncorrectedAggregate == 0)
        #expect(gpu.pcieTxBytesPerSecond == 1_024_000)
        #expect(gpu.pcieRxBytesPerSecond == 2_048_000)
        #expect(gpu.fanRatio == nil)  // NOT_SUPPORTED: absent, and not an error
        #expect(gpu.migEnabled == false)
        #expect(gpu.errors == nil)
    }

    @Test func readsMIGInstances() throws {
        let sample = try source().sample()
        let parent = try #require(sample.readings.first { $0.index == 2 && $0.migInstance == nil })
        #expect(parent.migEnabled == true)
        let instances = sample.readings.filter { $0.migInstance != nil }
        #expect(instances.map(\.migInstance) == ["MIG-00000000-0000-0000-0000-000000000000", "MIG-00000000-0000-0000-0000-000000000001"])
        #expect(instances.map(\.gpu) == [parent.gpu, parent.gpu])
        #expect(instances.map(\.migProfile) == ["3g.71gb", "1g.18gb"])
        #expect(instances.map(\.memoryTotalBytes) == [71_424 * 1_048_576, 17_920 * 1_048_576])
        #expect(instances.map(\.utilizationGPU) == [nil, nil])
    }

    @Test func aDriverWithoutMemoryV2GivesV1MemoryAndNoReserved() throws {
        setenv("CIM_TEST_NVML_MEMORY_V1_ONLY", "1", 1)
        defer { unsetenv("CIM_TEST_NVML_MEMORY_V1_ONLY") }
        let gpu = try #require(try source().sample().readings.first)
        #expect(gpu.memoryTotalBytes == 143_771 * 1_048_576)
        #expect(gpu.memoryUsedBytes == 32_362 * 1_048_576)
        #expect(gpu.memoryReservedBytes == nil)
        #expect(gpu.errors == nil)
    }

    @Test func remappedRowsAreReadPerGPU() throws {
        try touch("remapped-1", "3 1")
        let sample = try source().sample()
        #expect(sample.readings[1].remappedRowsCorrectable == 3)
        #expect(sample.readings[1].remappedRowsUncorrectable == 1)
        #expect(sample.readings[0].remappedRowsCorrectable == 0)
        #expect(sample.readings[0].remappedRowsUncorrectable == 0)
        #expect(sample.readings[1].errors == nil)
    }

    @Test func migInstancesHaveNoMemoryTemperatureOrReservedMemory() throws {
        let sample = try source().sample()
        let instances = sample.readings.filter { $0.migInstance != nil }
        #expect(instances.count == 2)
        #expect(instances.map(\.temperatureMemoryCelsius) == [nil, nil])
        #expect(instances.map(\.memoryReservedBytes) == [nil, nil])
        #expect(instances.map(\.remappedRowsCorrectable) == [nil, nil])
    }

    @Test func anErrorForOneGPUMakesOnlyItsReadingPartial() throws {
        try touch("error-1")
        let sample = try source().sample()
        #expect(sample.readings[1].powerWatts == nil)
        #expect(sample.readings[1].errors == ["power: unknown"])
        #expect(sample.readings[1].temperatureGPUCelsius == 52)
        #expect(sample.readings[0].powerWatts == 627.4)
        #expect(sample.readings[0].errors == nil)
    }

    @Test func aGPUThatDisappearsIsLostThenFound() throws {
        let source = try source()
        var detector = GPUChangeDetector()
        var ids = 0
        func events(_ sample: GPUSample) -> [GPUEvent] {
            detector.sampled(sample, node: "n1", at: "2026-12-01T00:00:00.000Z") {
                ids += 1
                return "id-\(ids)"
            }
        }
        let first = events(try source.sample())
        #expect(first.map(\.eventType) == [.gpuFound, .gpuFound, .gpuFound])
        try touch("lost-1")
        let lostSample = try source.sample()
        #expect(lostSample.readings.contains { $0.index == 1 } == false)
        #expect(lostSample.lost == ["GPU-00000000-0000-0000-0000-000000000001": "gpu_is_lost"])
        let lost = events(lostSample)
        #expect(lost.map(\.eventType) == [.gpuLost])
        #expect(lost.first?.gpu == "GPU-00000000-0000-0000-0000-000000000001")
        #expect(lost.first?.error == "gpu_is_lost")
        try FileManager.default.removeItem(at: control.appendingPathComponent("lost-1"))
        #expect(events(try source.sample()).map(\.eventType) == [.gpuFound])
    }

    @Test func deliversXidEventsOnce() throws {
        let source = try source()
        _ = try source.sample()  // registers the GPUs with the event set
        try touch("xid-1", "79")
        let sample = try source.sample()
        #expect(sample.xids.map(\.gpu) == ["GPU-00000000-0000-0000-0000-000000000001"])
        #expect(sample.xids.map(\.xid) == [79])
        #expect(try source.sample().xids.isEmpty)
    }

    @Test func aLibraryThatCannotLoadOrInitIsAnError() throws {
        #expect(throws: NVMLError.self) { try NVMLLibrary(path: self.control.appendingPathComponent("missing.so").path) }
        setenv("CIM_TEST_NVML_INIT_FAIL", "1", 1)
        defer { unsetenv("CIM_TEST_NVML_INIT_FAIL") }
        let error = #expect(throws: NVMLError.self) { try NVMLLibrary(path: try Self.library.get()) }
        #expect(error?.code == 9)
    }
}
