import Testing

@testable import GPUTelemetry

@Suite struct PMGRVoltageStatesParserTests {
    /// `(hertz, millivolts)` records as the registry stores them: two little-endian `UInt32`s each.
    static func blob(_ records: [(UInt32, UInt32)]) -> [UInt8] {
        records.flatMap { hertz, millivolts in
            [hertz, millivolts].flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
        }
    }

    static let records: [(UInt32, UInt32)] = [
        (0, 400), (389_000_000, 600), (486_000_000, 650), (648_000_000, 700), (778_000_000, 750), (972_000_000, 850),
        (1_296_000_000, 1_000),
    ]

    @Test func readsTheFrequencyOfEveryRecord() {
        let bytes = Self.blob(Self.records)
        #expect(bytes.count == 56)
        #expect(Array(bytes[8..<16]) == [0x40, 0xAB, 0x2F, 0x17, 0x58, 0x02, 0x00, 0x00])  // 389 MHz = 0x172FAB40, 600 mV = 0x258
        #expect(PMGRVoltageStatesParser.frequenciesHertz(bytes) == Self.records.map(\.0))
    }

    @Test func rejectsEmptyAndTruncatedTables() {
        let bytes = Self.blob(Self.records)
        #expect(PMGRVoltageStatesParser.frequenciesHertz([]) == nil)
        for length in 1..<bytes.count {
            let table = PMGRVoltageStatesParser.frequenciesHertz(Array(bytes.prefix(length)))
            #expect(table == (length % 8 == 0 ? Array(Self.records.prefix(length / 8).map(\.0)) : nil), "length \(length)")
        }
    }

    @Test func readsTheLargestValuesWithoutOverflow() {
        #expect(PMGRVoltageStatesParser.frequenciesHertz(Self.blob([(.max, .max), (1, 0)])) == [.max, 1])
    }

    @Test func aParsedTableGivesTheResidencyWeightedClock() throws {
        let table = try #require(PMGRVoltageStatesParser.frequenciesHertz(Self.blob(Self.records)))
        let reading = IOReportGPUReading(
            channels: [IOReportGPUReadingTests.gpuph([400, 200, 100, 0, 100, 0, 0, 200])],
            elapsedSeconds: 1,
            frequenciesHertz: table
        )
        #expect(reading.averageActiveHertz == 907_250_000)
    }
}
