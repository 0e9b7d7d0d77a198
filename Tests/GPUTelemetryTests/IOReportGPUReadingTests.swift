import Testing

@testable import GPUTelemetry

@Suite struct IOReportGPUReadingTests {
    /// An M1 Pro-shaped GPU DVFS table: the powered-off entry, then six performance states (389…1296 MHz).
    static let table: [UInt32] = [0, 389_000_000, 486_000_000, 648_000_000, 778_000_000, 972_000_000, 1_296_000_000]

    static func gpuph(_ residencies: [Int64], names: [String] = ["OFF", "IDLE", "P1", "P2", "P3", "P4", "P5", "P6"]) -> IOReportChannel {
        IOReportChannel(
            group: "GPU Stats",
            subgroup: "GPU Performance States",
            name: "GPUPH",
            value: .states(zip(names, residencies).map { IOReportChannel.State($0, $1) })
        )
    }

    static func energy(_ name: String, _ value: Int64, _ unit: String) -> IOReportChannel {
        IOReportChannel(group: "Energy Model", name: name, unit: unit, value: .integer(value))
    }

    /// OFF 400, IDLE 200, P1 100, P3 100, P6 200 ticks; 1500 mJ of GPU and 250 000 µJ of GPU SRAM energy in 0.5 s.
    static let sample: [IOReportChannel] = [
        energy("CPU Energy", 9_000, "mJ"),
        gpuph([400, 200, 100, 0, 100, 0, 0, 200]),
        energy("GPU Energy", 1_500, "mJ"),
        energy("GPU SRAM0", 250_000, "uJ"),
        energy("ANE", 7, "mJ"),
    ]

    @Test func computesActiveRatioClockAndPowerFromOneDelta() {
        let reading = IOReportGPUReading(channels: Self.sample, elapsedSeconds: 0.5, frequenciesHertz: Self.table)
        #expect(reading.activeRatio == 0.4)  // 400 of 1000 ticks outside OFF and IDLE
        #expect(reading.averageActiveHertz == 907_250_000)  // (100 × 389 + 100 × 648 + 200 × 1296) / 400 MHz
        #expect(reading.powerWatts == 3)  // 1.5 J over 0.5 s
        #expect(reading.sramPowerWatts == 0.5)  // 0.25 J over 0.5 s
        #expect(reading.errors.isEmpty)
    }

    @Test func readsEveryEnergyUnitAndNoOther() {
        for (unit, value) in [("J", Int64(3)), ("mJ", 3_000), ("uJ", 3_000_000), ("µJ", 3_000_000), ("nJ", 3_000_000_000)] {
            let reading = IOReportGPUReading(channels: [Self.energy("GPU Energy", value, unit)], elapsedSeconds: 2, frequenciesHertz: [])
            #expect(reading.powerWatts == 1.5, "unit \(unit)")
        }
        for unit in ["", "kWh", "MJ", "mj", "ticks"] {
            let reading = IOReportGPUReading(channels: [Self.energy("GPU Energy", 3_000, unit)], elapsedSeconds: 2, frequenciesHertz: [])
            #expect(reading.powerWatts == nil, "unit '\(unit)'")
            #expect(reading.errors == ["power: GPU Energy has the unknown unit '\(unit)'"])
        }
    }

    @Test func leavesPowerAbsentWhenTheElapsedTimeIsNotPositive() {
        for elapsed in [0, -1, -.infinity, .infinity, .nan] as [Double] {
            let reading = IOReportGPUReading(channels: Self.sample, elapsedSeconds: elapsed, frequenciesHertz: Self.table)
            #expect(reading.powerWatts == nil)
            #expect(reading.sramPowerWatts == nil)
            #expect(reading.activeRatio == 0.4)  // residencies are a ratio of ticks and need no clock
            #expect(reading.averageActiveHertz == 907_250_000)
        }
    }

    @Test func leavesPowerAbsentForNegativeOrImplausibleEnergy() {
        let backwards = IOReportGPUReading(channels: [Self.energy("GPU Energy", -5, "mJ")], elapsedSeconds: 1, frequenciesHertz: [])
        #expect(backwards.powerWatts == nil)
        #expect(backwards.errors == ["power: GPU Energy went backwards (-5 mJ)"])
        let huge = IOReportGPUReading(channels: [Self.energy("GPU Energy", .max, "mJ")], elapsedSeconds: 1, frequenciesHertz: [])
        #expect(huge.powerWatts == nil)
        let tiny = IOReportGPUReading(channels: [Self.energy("GPU Energy", 1, "mJ")], elapsedSeconds: .leastNonzeroMagnitude, frequenciesHertz: [])
        #expect(tiny.powerWatts == nil)  // 10⁻³ J over 5 × 10⁻³²⁴ s overflows to infinity
        let limit = IOReportGPUReading(channels: [Self.energy("GPU Energy", 2_000, "J")], elapsedSeconds: 1, frequenciesHertz: [])
        #expect(limit.powerWatts == 2_000)
        let over = IOReportGPUReading(channels: [Self.energy("GPU Energy", 2_001, "J")], elapsedSeconds: 1, frequenciesHertz: [])
        #expect(over.powerWatts == nil)
    }

    @Test func leavesThePowerAbsentWhenAnyOfItsChannelsCannotBeRead() {
        let channels = [Self.energy("GPU SRAM0", 100, "mJ"), Self.energy("GPU SRAM1", 100, "furlongs")]
        let reading = IOReportGPUReading(channels: channels, elapsedSeconds: 1, frequenciesHertz: [])
        #expect(reading.sramPowerWatts == nil)  // 0.1 W from SRAM0 alone would be too low, not a reading
        let stateChannel = IOReportChannel(group: "Energy Model", name: "GPU Energy", unit: "mJ", value: .states([.init("P1", 1)]))
        #expect(IOReportGPUReading(channels: [stateChannel], elapsedSeconds: 1, frequenciesHertz: []).powerWatts == nil)
    }

    @Test func leavesResidencyFieldsAbsentWhenNoTimeWasCounted() {
        let reading = IOReportGPUReading(channels: [Self.gpuph([0, 0, 0, 0, 0, 0, 0, 0])], elapsedSeconds: 1, frequenciesHertz: Self.table)
        #expect(reading.activeRatio == nil)
        #expect(reading.averageActiveHertz == nil)
    }

    @Test func anIdleGPUHasRatioZeroAndNoActiveClock() {
        let reading = IOReportGPUReading(channels: [Self.gpuph([900, 100, 0, 0, 0, 0, 0, 0])], elapsedSeconds: 1, frequenciesHertz: Self.table)
        #expect(reading.activeRatio == 0)
        #expect(reading.averageActiveHertz == nil)  // macmon reports the lowest state here; the GPU ran at none
    }

    @Test func leavesTheClockAbsentWhenTheStatesDoNotMatchTheTable() {
        let seven = [0, 389_000_000, 486_000_000, 648_000_000, 778_000_000, 972_000_000, 1_296_000_000, 1_398_000_000] as [UInt32]
        let reading = IOReportGPUReading(channels: [Self.gpuph([400, 200, 100, 0, 100, 0, 0, 200])], elapsedSeconds: 1, frequenciesHertz: seven)
        #expect(reading.activeRatio == 0.4)
        #expect(reading.averageActiveHertz == nil)
        #expect(reading.errors == ["clock_graphics: GPUPH has 6 active states, the DVFS table 7"])
        let noTable = IOReportGPUReading(channels: [Self.gpuph([400, 200, 100, 0, 100, 0, 0, 200])], elapsedSeconds: 1, frequenciesHertz: [])
        #expect(noTable.activeRatio == 0.4)
        #expect(noTable.averageActiveHertz == nil)
        #expect(noTable.errors == ["clock_graphics: no GPU DVFS table"])
    }

    @Test func onlyLeadingIdleStatesAreIdle() {
        // A table without a zero entry, and states without OFF: DOWN leads; an IDLE after P1 is active (macmon's rule).
        let channel = Self.gpuph([50, 25, 25], names: ["DOWN", "P1", "IDLE"])
        let reading = IOReportGPUReading(channels: [channel], elapsedSeconds: 1, frequenciesHertz: [300_000_000, 500_000_000])
        #expect(reading.activeRatio == 0.5)
        #expect(reading.averageActiveHertz == 400_000_000)
    }

    @Test func rejectsNegativeAndOverflowingResidencies() {
        let negative = IOReportGPUReading(
            channels: [Self.gpuph([400, 200, -100, 0, 100, 0, 0, 200])],
            elapsedSeconds: 1,
            frequenciesHertz: Self.table
        )
        #expect(negative.activeRatio == nil)
        #expect(negative.averageActiveHertz == nil)
        #expect(negative.errors == ["utilization: negative GPUPH residency"])
        let huge = IOReportGPUReading(channels: [Self.gpuph([.max, 0, .max, 0, 0, 0, 0, 0])], elapsedSeconds: 1, frequenciesHertz: Self.table)
        #expect(huge.activeRatio == nil)
        #expect(huge.averageActiveHertz == nil)
        #expect(huge.errors == ["utilization: GPUPH residency overflows"])
        let largest = IOReportGPUReading(channels: [Self.gpuph([0, 0, 0, 0, 0, 0, 0, .max])], elapsedSeconds: 1, frequenciesHertz: Self.table)
        #expect(largest.activeRatio == 1)
        #expect(largest.averageActiveHertz == 1_296_000_000)
    }

    @Test func addsUpGPUPHChannelsWithTheSameStatesAndRefusesOthers() {
        let two = [Self.gpuph([400, 200, 100, 0, 100, 0, 0, 200]), Self.gpuph([0, 0, 0, 0, 0, 0, 0, 1000])]
        let summed = IOReportGPUReading(channels: two, elapsedSeconds: 1, frequenciesHertz: Self.table)
        #expect(summed.activeRatio == 0.7)  // 1400 of 2000
        let different = [Self.gpuph([400, 200, 100, 0, 100, 0, 0, 200]), Self.gpuph([1, 1], names: ["OFF", "P1"])]
        let refused = IOReportGPUReading(channels: different, elapsedSeconds: 1, frequenciesHertz: Self.table)
        #expect(refused.activeRatio == nil)
        #expect(refused.errors == ["utilization: GPUPH channels with different states"])
        let overflowing = [Self.gpuph([0, 0, 0, 0, 0, 0, 0, .max]), Self.gpuph([0, 0, 0, 0, 0, 0, 0, 1])]
        #expect(IOReportGPUReading(channels: overflowing, elapsedSeconds: 1, frequenciesHertz: Self.table).activeRatio == nil)
    }

    @Test func aSampleWithoutGPUChannelsGivesNothingAndNoErrors() {
        let reading = IOReportGPUReading(channels: [Self.energy("CPU Energy", 10, "mJ")], elapsedSeconds: 1, frequenciesHertz: Self.table)
        #expect(reading == IOReportGPUReading(channels: [], elapsedSeconds: 1, frequenciesHertz: []))
        #expect(reading.activeRatio == nil && reading.averageActiveHertz == nil && reading.powerWatts == nil && reading.sramPowerWatts == nil)
        #expect(reading.errors.isEmpty)
    }

    @Test func keepsTheDriversUtilizationAndAddsClockAndPower() throws {
        let ioReport = IOReportGPUReading(channels: Self.sample, elapsedSeconds: 0.5, frequenciesHertz: Self.table)
        var statistics = IORegistryParser.accelerator(
            index: 0,
            className: "AGXAcceleratorG13X",
            model: "Apple M1 Pro",
            coreCount: 16,
            statistics: ["Device Utilization %": 2, "In use system memory": 340_983_808]
        ).reading
        let merged = ioReport.merged(into: statistics)
        #expect(merged.utilizationGPU == 0.02)
        #expect(merged.clockGraphicsHertz == 907_250_000)
        #expect(merged.powerWatts == 3)
        #expect(merged.memoryUsedBytes == 340_983_808)
        #expect(merged.errors == nil)
        statistics.utilizationGPU = nil
        #expect(ioReport.merged(into: statistics).utilizationGPU == 0.4)
        let mismatched = IOReportGPUReading(channels: Self.sample, elapsedSeconds: 0, frequenciesHertz: [])
        #expect(
            mismatched.merged(into: statistics).errors == [
                "ioreport clock_graphics: no GPU DVFS table", "ioreport power: elapsed time 0.0 s is not positive",
                "ioreport sram_power: elapsed time 0.0 s is not positive",
            ]
        )
    }
}
