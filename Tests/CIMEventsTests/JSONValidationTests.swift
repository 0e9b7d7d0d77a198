import NATSTestSupport
import Testing

@testable import CIMEvents

@Suite("JSON validation: one pass, the mapper's verdict, line breaks noted")
struct JSONValidationTests {
    private func validity(_ bytes: [UInt8]) -> JSONValidation.Validity {
        bytes.withUnsafeBytes { JSONValidation.validate($0) }
    }

    private func validity(_ text: String) -> JSONValidation.Validity { validity(Array(text.utf8)) }

    /// What the mapper's scanner says of the same bytes.
    private func mapperAccepts(_ bytes: [UInt8]) -> Bool {
        var fields = PayloadFields()
        let outcome = bytes.withUnsafeBytes { $0.isEmpty ? .invalid : PayloadScanner.scan($0, into: &fields) }
        if case .invalid = outcome { return false }
        return true
    }

    /// A deterministic generator (SplitMix64), so a failure names an input that can be found again.
    private struct SplitMix {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    @Test("accepts exactly what the mapper's scanner accepts: corpus payloads, every truncation, random edits")
    func agreesWithTheMapper() {
        let edits: [UInt8] = Array("{}[]\",:\\0-e. \n\rtnu".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xE2, 0xFF]
        var random = SplitMix(state: 15)
        var checked = 0
        for line in CorpusLine.all where !line.payload.isEmpty {
            let payload = line.payload
            var inputs = (0..<payload.count).map { Array(payload[..<$0]) }
            inputs.append(payload)
            for _ in 0..<200 {
                var edited = payload
                for _ in 0...random.next(3) { edited[random.next(edited.count)] = edits[random.next(edits.count)] }
                inputs.append(edited)
            }
            for input in inputs {
                let mine = validity(input) != .invalid
                let mapper = mapperAccepts(input)
                if mine != mapper {
                    Issue.record(
                        "\(line.name): validation says \(mine), the mapper \(mapper) for \(String(decoding: input, as: UTF8.self).debugDescription)"
                    )
                    return
                }
                checked += 1
            }
        }
        #expect(checked > 5000)
    }

    @Test("notes line breaks, which valid JSON only has between tokens")
    func notesLineBreaks() {
        #expect(validity(#"{"a":1}"#) == .valid)
        #expect(validity("{\"a\":\n1}") == .validWithLineBreaks)
        #expect(validity("\r\n[1]\r\n") == .validWithLineBreaks)
        #expect(validity("\"a\nb\"") == .invalid)
        #expect(validity("{\"a\":1}\n{") == .invalid)
    }

    @Test("nesting up to 512 levels is valid, deeper is not; hostile documents end without trapping")
    func boundsNesting() {
        #expect(validity(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) == .valid)
        #expect(validity(String(repeating: "[", count: 513) + String(repeating: "]", count: 513)) == .invalid)
        #expect(validity(String(repeating: "{\"a\":", count: 512) + "1" + String(repeating: "}", count: 512)) == .valid)
        #expect(validity(String(repeating: "[", count: 100_000)) == .invalid)
        #expect(validity("1e999999999999999999999999") == .valid)
        #expect(validity("123456789012345678901234567890") == .valid)
        #expect(validity([]) == .invalid)
        #expect(validity([0xEF, 0xBB, 0xBF, 0x31]) == .invalid)
    }
}
