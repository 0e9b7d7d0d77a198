import Testing

@testable import GPUTelemetry

@Suite struct GPUEventCodecTests {
    @Test func roundTripsASampledEvent() throws {
        var reading = GPUReading(gpu: "GPU-1", index: 0, model: "NVIDIA H200")
        reading.powerWatts = 627.4
        reading.memoryUsedBytes = 33_933_623_296
        reading.throttleReasons = [.thermal]
        var event = GPUEvent(
            eventID: GPUEventClock.eventID(at: 1_780_000_000),
            eventType: .sampled,
            occurredAt: "2026-12-01T10:00:00.000Z",
            node: "n1",
            vendor: .nvidia
        )
        event.intervalSeconds = 10
        event.driver = "590.48.01"
        event.gpus = [reading]
        let bytes = GPUEventCodec.encode(event)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"aggregate_id":"n1","aggregate_type":"gpu_node","driver":"590.48.01","event_id":""#))
        #expect(
            text.contains(
                #""gpus":[{"gpu":"GPU-1","index":0,"memory_used_bytes":33933623296,"model":"NVIDIA H200","power_watts":627.4,"throttle_reasons":["thermal"]}]"#
            )
        )
        #expect(!text.contains("null"))
        #expect(GPUEventCodec.decode(bytes) == event)
        #expect(event.subject == "cim.gpu.n1.sampled")
    }

    @Test func dropsNonFiniteNumbersInsteadOfWritingThem() throws {
        var reading = GPUReading(gpu: "g", index: 0, model: "m")
        reading.powerWatts = .nan
        reading.temperatureGPUCelsius = .infinity
        reading.clockSMHertz = 1
        var event = GPUEvent(eventID: "e", eventType: .sampled, occurredAt: "t", node: "n", vendor: .apple)
        event.gpus = [reading]
        let decoded = try #require(GPUEventCodec.decode(GPUEventCodec.encode(event)))
        #expect(decoded.gpus?.first?.powerWatts == nil)
        #expect(decoded.gpus?.first?.temperatureGPUCelsius == nil)
        #expect(decoded.gpus?.first?.clockSMHertz == 1)
    }

    @Test(arguments: [
        "", "{", "[]", "null", #"{"event_type":"sampled"}"#,
        #"{"event_id":"e","event_type":"boom","aggregate_type":"gpu","aggregate_id":"a","occurred_at":"t","node":"n","vendor":"nvidia"}"#,
        #"{"event_id":"e","event_type":"sampled","aggregate_type":"gpu","aggregate_id":"a","occurred_at":"t","node":"n","vendor":"nvidia","gpus":[{"gpu":"g","index":0,"model":"m","memory_used_bytes":-1}]}"#,
        #"{"event_id":"e","event_type":"sampled","aggregate_type":"gpu","aggregate_id":"a","occurred_at":"t","node":"n","vendor":"nvidia","gpus":[{"gpu":"g","index":0,"model":"m","memory_used_bytes":1e30}]}"#,
    ])
    func rejectsWhatIsNotAGPUEvent(text: String) {
        #expect(GPUEventCodec.decode(Array(text.utf8)) == nil)
    }

    @Test func writesUUIDv7IdsAndUTCTimes() {
        let id = GPUEventClock.eventID(at: 1_764_583_200.123, random: (0xFFFF, 0xFFFF_FFFF_FFFF_FFFF))
        #expect(id == "019ad95a-d57b-7fff-bfff-ffffffffffff")
        #expect(GPUEventClock.timestamp(1_764_583_200.123) == "2025-12-01T10:00:00.123Z")
        #expect(GPUEventClock.timestamp(0) == "1970-01-01T00:00:00.000Z")
        #expect(GPUEventClock.seconds("2025-12-01T10:00:00.123Z") == 1_764_583_200.123)
    }
}
