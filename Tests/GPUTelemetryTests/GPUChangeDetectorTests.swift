import Testing

@testable import GPUTelemetry

@Suite struct GPUChangeDetectorTests {
    var detector = GPUChangeDetector()
    var ids = 0

    mutating func events(_ readings: [GPUReading], xids: [(gpu: String, xid: Int)] = []) -> [GPUEvent] {
        var counter = ids
        defer { ids = counter }
        return detector.sampled(GPUSample(vendor: .nvidia, driver: "1", readings: readings, xids: xids), node: "n", at: "t") {
            counter += 1
            return "e\(counter)"
        }
    }

    static func gpu(_ id: String, throttle: [GPUThrottleReason]? = [], single: UInt64? = 0, double: UInt64? = 0) -> GPUReading {
        var reading = GPUReading(gpu: id, index: 0, model: "M")
        reading.throttleReasons = throttle
        reading.eccCorrectedVolatile = single
        reading.eccUncorrectedVolatile = double
        return reading
    }

    @Test mutating func reportsThrottlingStartAndEndForFaultReasonsOnly() {
        _ = events([Self.gpu("a")])
        let started = events([Self.gpu("a", throttle: [.idle, .thermal, .powerCap])])
        #expect(started.map(\.eventType) == [.throttled, .throttled])
        #expect(started.map(\.reason) == [.powerCap, .thermal])
        #expect(started.map(\.aggregateType) == ["gpu", "gpu"])
        let cleared = events([Self.gpu("a", throttle: [.thermal])])
        #expect(cleared.map(\.eventType) == [.throttleCleared])
        #expect(cleared.map(\.reason) == [.powerCap])
        #expect(events([Self.gpu("a", throttle: nil)]).isEmpty)  // unknown is not a change
    }

    @Test mutating func countsECCGrowthAndTakesADropAsANewBaseline() {
        _ = events([Self.gpu("a", single: 5, double: 1)])
        let grown = events([Self.gpu("a", single: 8, double: 1)])
        #expect(grown.map(\.eventType) == [.eccError])
        #expect(grown.first?.bit == "single")
        #expect(grown.first?.count == 3)
        #expect(grown.first?.scope == "volatile")
        #expect(grown.first?.errorType == "ecc_single")
        #expect(events([Self.gpu("a", single: 0, double: 0)]).isEmpty)
        #expect(events([Self.gpu("a", single: 0, double: 2)]).map(\.count) == [2])
        #expect(events([Self.gpu("a", single: nil, double: nil)]).isEmpty)
    }

    @Test mutating func reportsXidsWithTheirGPU() {
        let found = events([Self.gpu("a")], xids: [("a", 48)])
        #expect(found.map(\.eventType) == [.gpuFound, .xidError])
        #expect(found.last?.xid == 48)
        #expect(found.last?.gpu == "a")
        #expect(found.last?.eventID == "e2")
        #expect(found.last?.errorType == "xid_48")
    }

    @Test mutating func reportsTheDriverGoingAndComingBackOnce() {
        _ = events([Self.gpu("a")])
        #expect(detector.failed("gone", vendor: .nvidia, node: "n", at: "t", newID: { "x" }).map(\.eventType) == [.driverUnavailable])
        #expect(detector.failed("gone", vendor: .nvidia, node: "n", at: "t", newID: { "x" }).isEmpty)
        #expect(events([Self.gpu("a")]).map(\.eventType) == [.recovered])
    }
}
