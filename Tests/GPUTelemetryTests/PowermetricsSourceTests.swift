import Foundation
import Testing

@testable import GPUTelemetry

/// The powermetrics exec path with a stub executable that checks its arguments and prints a fixture plist.
@Suite final class PowermetricsSourceTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cim-gpu-powermetrics-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// An executable that prints `output` when called with exactly powermetrics' one-sample arguments, else exits 64.
    func stub(printing output: URL, window: String = "1000") throws -> String {
        let script = directory.appendingPathComponent("powermetrics-\(UUID().uuidString)")
        try """
        #!/bin/sh
        [ "$*" = "--samplers gpu_power -i \(window) -n 1 -f plist" ] || exit 64
        cat '\(output.path)'

        """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script.path
    }

    func source(_ executable: String) throws -> PowermetricsSource {
        try #require(PowermetricsSource(environment: ["CIM_POWERMETRICS": executable], root: true))
    }

    @Test func readsTheFixtureThroughTheExecutable() throws {
        let path = try stub(printing: GPUFixtures.directory.appendingPathComponent(GPUFixtures.powermetrics))
        let sample = try source(path).sample()
        #expect(sample.vendor == .apple)
        #expect(sample.driver == nil)
        let reading = try #require(sample.readings.first)
        #expect(sample.readings.count == 1)
        #expect(reading.model == "Apple GPU (Mac16,8)")
        #expect(reading.clockGraphicsHertz == 338_000_000)
        #expect(abs(reading.utilizationGPU! - (1 - 0.995324)) < 1e-12)
        #expect(abs(reading.powerWatts! - 0.009 / 5.005449083) < 1e-12)
        #expect(reading.memoryUsedBytes == nil)
        #expect(reading.temperatureGPUCelsius == nil)
    }

    @Test func ofSeveralDocumentsTheLastIsTheReading() throws {
        let path = try stub(printing: GPUFixtures.directory.appendingPathComponent(GPUFixtures.powermetricsMultiple))
        let reading = try #require(try source(path).sample().readings.first)
        #expect(reading.clockGraphicsHertz == 458_421_000)
        #expect(abs(reading.powerWatts! - 0.126 / 5.0091785) < 1e-12)
    }

    @Test func theWindowIsPassedInMilliseconds() throws {
        let path = try stub(printing: GPUFixtures.directory.appendingPathComponent(GPUFixtures.powermetrics), window: "250")
        var source = try source(path)
        source.window = .milliseconds(250)
        #expect(source.arguments == ["--samplers", "gpu_power", "-i", "250", "-n", "1", "-f", "plist"])
        #expect(try source.sample().readings.count == 1)
    }

    @Test func withoutRootThereIsNoSource() throws {
        let path = try stub(printing: GPUFixtures.directory.appendingPathComponent(GPUFixtures.powermetrics))
        #expect(PowermetricsSource(environment: ["CIM_POWERMETRICS": path], root: false) == nil)
    }

    @Test func garbageOutputIsAnErrorNotAReading() throws {
        let garbage = directory.appendingPathComponent("garbage.plist")
        try Data([0xFF, 0xFE, 0x00, 0x3C, 0x70]).write(to: garbage)
        let path = try stub(printing: garbage)
        let error = #expect(throws: GPUSourceError.self) { try self.source(path).sample() }
        #expect(error?.message.contains("printed no plist with a gpu sample") == true)
    }

    @Test func aFailingExecutableIsAnErrorThatSaysWhatToCheck() throws {
        let path = try stub(printing: GPUFixtures.directory.appendingPathComponent(GPUFixtures.powermetrics), window: "999")
        let error = #expect(throws: GPUSourceError.self) { try self.source(path).sample() }
        #expect(error?.message == "\(path) failed (status 64): powermetrics needs root on macOS")
    }
}
