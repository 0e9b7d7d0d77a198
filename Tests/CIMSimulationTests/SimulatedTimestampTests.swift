import Testing

@testable import CIMSimulation

@Suite struct SimulatedTimestampTests {
    @Test func writesEveryCIMForm() {
        let time = SimulatedTimestamp(seconds: 1_751_741_517.25)
        #expect(time.rfc3339() == "2025-07-05T18:51:57.250Z")
        #expect(time.rfc3339(fractionDigits: 6, offset: true) == "2025-07-05T18:51:57.250000+00:00")
        #expect(time.rfc3339(fractionDigits: 0) == "2025-07-05T18:51:57Z")
        #expect(time.unixString() == "1751741517.25" && time.milliseconds == 1_751_741_517_250)
        #expect(time.systemTime == ["secs_since_epoch": 1_751_741_517, "nanos_since_epoch": 250_000_000])
    }

    @Test(
        "writes calendar dates right at the edges",
        arguments: [
            (0.0, "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"), (951_868_799, "2000-02-29T23:59:59Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"),
        ] as [(Double, String)]
    )
    func writesCalendarDates(seconds: Double, expected: String) {
        #expect(SimulatedTimestamp(seconds: seconds).rfc3339(fractionDigits: 0) == expected)
    }
}
