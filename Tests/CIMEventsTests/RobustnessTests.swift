import CIMSimulation
import NATSTestSupport
import Testing

@testable import CIMEvents

@Suite("Robustness: any input maps to a well-formed event")
struct RobustnessTests {
    private static let pieces: [[UInt8]] =
        [
            "cim", "events", "workflow", "v1", "Order", "AgentGPUAllocationFailed", "6f1c2d3e-0000-4000-8000-00000000abcd", "deadbeefcafe",
            "\"", "\\", "größe", "🙂", "", "x_failed", "ÄÖÜ", "{", "}", ">", "*", " ", String(repeating: "Z", count: 100),
        ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0x00], [0x0D, 0x0A]]

    private static let jsonPieces: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\uD800", "\\uDC00", "\\n", "\"event_type\"", "\"type\"", "\"error\"",
        "\"error_type\"", "\"kind\"", "\"timestamp\"", "\"occurred_at\"", "\"stored_event\"", "\"event\"", "\"metadata\"",
        "\"correlation_id\"", "\"secs_since_epoch\"", "\"event_id\"", "\"OrderFailed\"", "\"2025-07-05T18:51:57Z\"", "1751741517",
        "1e999", "-0.5", "true", "null", "\"01989f0e-6b2a-7c3d-9e4f-0a1b2c3d4e5f\"", " ", "é", "🙂",
    ]

    private func randomBytes(_ rng: inout SplitMix64, pieces: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...pieces, using: &rng) {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: bytes.append(UInt8.random(in: 0...255, using: &rng))
            case 1: bytes.append(UInt8(ascii: "."))
            default: bytes += Self.pieces.randomElement(using: &rng)!
            }
        }
        return bytes
    }

    private func randomJSON(_ rng: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0...60, using: &rng) {
            if Int.random(in: 0..<20, using: &rng) == 0 {
                bytes.append(UInt8.random(in: 0...255, using: &rng))
            } else {
                bytes += Array(Self.jsonPieces.randomElement(using: &rng)!.utf8)
            }
        }
        return bytes
    }

    private func randomHeaders(_ rng: inout SplitMix64) -> [UInt8] {
        let names = ["Nats-Msg-Id", "X-Event-Type", "x-timestamp", "X-Error-Type", "X-Correlation-ID", "CIM-Causation-Id", "Bogus"]
        var block = Array((Bool.random(using: &rng) ? "NATS/1.0\r\n" : "NATS/1.0 503\r\n").utf8)
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            block += Array(names.randomElement(using: &rng)!.utf8) + Array(": ".utf8) + randomBytes(&rng, pieces: 3) + [0x0D, 0x0A]
        }
        return Bool.random(using: &rng) ? block + [0x0D, 0x0A] : Array(block.prefix(Int.random(in: 0...block.count, using: &rng)))
    }

    private func checkWellFormed(_ event: Event, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(isLabel(event.domain), "domain \(event.domain.debugDescription)", sourceLocation: sourceLocation)
        #expect(isLabel(event.aggregateType), "aggregate_type \(event.aggregateType.debugDescription)", sourceLocation: sourceLocation)
        #expect(isLabel(event.eventType), "event_type \(event.eventType.debugDescription)", sourceLocation: sourceLocation)
        #expect(event.failed == (event.errorType != nil), sourceLocation: sourceLocation)
        if let errorType = event.errorType { #expect(isLabel(errorType), sourceLocation: sourceLocation) }
        if let time = event.time { #expect(EventTimeWindow.contains(time, reference: nil), sourceLocation: sourceLocation) }
        let payloadReasons = event.violations.subtracting([.badTimestamp, .timestampOutOfRange]).reasons
        #expect(payloadReasons.count <= 1, "\(payloadReasons)", sourceLocation: sourceLocation)
    }

    @Test("random subjects, header blocks and payloads never crash and give valid labels", arguments: 0..<8)
    func randomMessages(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var mapper = EventMapper(rules: [try! SubjectRule(subject: "orders.{domain}.{event_type}", aggregateType: "Order")])
        for _ in 0..<2_000 {
            let subject = randomBytes(&rng, pieces: 8)
            let headers = Int.random(in: 0..<3, using: &rng) == 0 ? [] : randomHeaders(&rng)
            let payload = Bool.random(using: &rng) ? randomJSON(&rng) : randomBytes(&rng, pieces: 12)
            checkWellFormed(mapRaw(subject, headerBlock: headers, payload: payload, mapper: &mapper))
        }
    }

    @Test("mutated corpus payloads never crash and give valid labels")
    func mutatedCorpus() {
        var rng = SplitMix64(seed: 42)
        var mapper = EventMapper()
        for line in CorpusLine.all {
            for _ in 0..<200 {
                var payload = line.payload
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !payload.isEmpty {
                    let at = Int.random(in: 0..<payload.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: payload[at] = UInt8.random(in: 0...255, using: &rng)
                    case 1: payload.remove(at: at)
                    default: payload.insert(contentsOf: Array(Self.jsonPieces.randomElement(using: &rng)!.utf8), at: at)
                    }
                }
                checkWellFormed(mapRaw(Array(line.subject.utf8), headerBlock: line.headerBlock, payload: payload, mapper: &mapper))
            }
        }
    }

    @Test("extreme payloads: deep nesting, huge strings, long keys, many keys")
    func extremePayloads() {
        var mapper = EventMapper(maxPayloadBytes: 8 << 20)
        let payloads: [[UInt8]] = [
            Array(String(repeating: "[", count: 100_000).utf8),
            Array((String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)).utf8),
            Array((#"{"event_type":""# + String(repeating: "Xy", count: 1_000_000) + #""}"#).utf8),
            Array((#"{""# + String(repeating: "k", count: 100_000) + #"":1}"#).utf8),
            Array(("{" + (0..<20_000).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + "}").utf8),
            Array((#"{"error_type":""# + String(repeating: "\\u00e9", count: 50_000) + #""}"#).utf8),
            [UInt8](repeating: 0xFF, count: 100_000),
        ]
        for payload in payloads {
            checkWellFormed(mapRaw(Array("cim.d.events.a.step_failed".utf8), headerBlock: [], payload: payload, mapper: &mapper))
        }
        let long = mapRaw(Array("events.Order.1".utf8), headerBlock: [], payload: payloads[2], mapper: &mapper)
        #expect(long.eventType.utf8.count == 64)
    }

    @Test("a huge subject and header block are handled")
    func hugeSubjectAndHeaders() {
        var mapper = EventMapper()
        let subject = Array(String(repeating: "token.", count: 50_000).utf8)
        let headers = Array(("NATS/1.0\r\n" + String(repeating: "X-Other: v\r\n", count: 50_000) + "X-Event-Type: Late\r\n\r\n").utf8)
        let event = mapRaw(subject, headerBlock: headers, payload: Array("{}".utf8), mapper: &mapper)
        checkWellFormed(event)
        #expect(event.eventType == "late")
        #expect(event.domain == "token")
    }

    @Test("a million distinct event types keep the intern cache bounded")
    func cardinalityAttackIsBounded() {
        var mapper = EventMapper()
        var subject = Array("cim.d.events.a.type_0000000".utf8)
        let payload: [UInt8] = Array("{}".utf8)
        var distinct = 0
        subject.withUnsafeMutableBytes { subject in
            payload.withUnsafeBytes { payload in
                let headers = UnsafeRawBufferPointer(start: nil, count: 0)
                for n in 0..<1_000_000 {
                    var v = n
                    var k = subject.count - 1
                    while k >= subject.count - 7 {
                        subject[k] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
                        v /= 10
                        k -= 1
                    }
                    let event = mapper.map(subject: UnsafeRawBufferPointer(subject), headers: headers, payload: payload)
                    if event.eventType.utf8.count == 12 { distinct += 1 }
                }
            }
        }
        #expect(distinct == 1_000_000)
        #expect(mapper.labels.count <= LabelInterner.defaultCapacity)
        #expect(mapper.labels.count == LabelInterner.defaultCapacity)
        // Labels seen before the cache filled are still served from it.
        #expect(mapRaw(Array("cim.d.events.a.type_0000001".utf8), headerBlock: [], payload: payload, mapper: &mapper).eventType == "type_0000001")
    }

    @Test("the intern cache tells apart keys that share a prefix, differ after 16 bytes, or differ only by NUL padding")
    func internerKeysAreExact() {
        var interner = LabelInterner()
        let keys: [[UInt8]] = [
            Array("AbcdefghijklmnopX".utf8), Array("AbcdefghijklmnopY".utf8), Array("Abcdefghijklmnop".utf8),
            Array("AbcdefghijklmnopXYZWVUTSRQPONMLKJ_one".utf8), Array("AbcdefghijklmnopXYZWVUTSRQPONMLKJ_two".utf8),
            Array("a".utf8), [0x61, 0x00], [0x61, 0x00, 0x00], Array("Order".utf8), Array("order".utf8), [],
        ]
        for _ in 0..<3 {
            for key in keys {
                let (cached, computed) = key.withUnsafeBytes { (interner.label($0), LabelNormaliser.label($0)) }
                #expect(cached == computed, "\(key)")
            }
        }
        #expect(interner.count == keys.count)
    }

    @Test("the intern cache returns the same labels as computing them")
    func internedEqualsComputed() {
        var interner = LabelInterner(capacity: 8)
        let raws = ["NodeAdded", "node_added", "A", "Ünïcode", "x", "NodeAdded", "deadbeefcafe", "", "a.b", "OrderFailed", "Z", "NodeAdded"]
        for raw in raws {
            var r = raw
            let (cached, computed) = r.withUTF8 { bytes in
                (interner.label(UnsafeRawBufferPointer(bytes)), LabelNormaliser.label(UnsafeRawBufferPointer(bytes)))
            }
            #expect(cached == computed)
        }
        #expect(interner.count == 8)
    }
}
