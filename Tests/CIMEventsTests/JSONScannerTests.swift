import NATSTestSupport
import Testing

@testable import CIMEvents

@Suite("JSON scanner: strict validation without building a tree")
struct JSONScannerTests {
    enum Kind: Equatable {
        case object, notObject, invalid
    }

    private func scan(_ bytes: [UInt8]) -> Kind {
        var fields = PayloadFields()
        let outcome = bytes.withUnsafeBytes { PayloadScanner.scan($0, into: &fields) }
        switch outcome {
        case .object: return .object
        case .notObject: return .notObject
        case .invalid: return .invalid
        }
    }

    private func scan(_ text: String) -> Kind { scan(Array(text.utf8)) }

    @Test(
        "accepts valid objects",
        arguments: [
            "{}", " { } ", "\t{\n\"a\" : 1 ,\r\n\"b\":[ ]}\n", #"{"a":{"b":{"c":[1,2,{"d":null}]}}}"#,
            #"{"s":"plain","e":"\"\\\/\b\f\n\r\t","u":"\u00e9\u4e2d\uD83D\uDE00"}"#, #"{"t":true,"f":false,"n":null}"#,
            #"{"a":1,"a":2}"#, "{\"ü\":\"größe 🙂\"}", #"{"":""}"#,
        ]
    )
    func acceptsObjects(_ text: String) {
        #expect(scan(text) == .object)
    }

    @Test("accepts valid documents that are not objects", arguments: ["[]", "[1,\"a\",{}]", "\"text\"", "0", "-1.5e+10", "true", "null", " 42 "])
    func acceptsNonObjects(_ text: String) {
        #expect(scan(text) == .notObject)
    }

    @Test(
        "rejects malformed documents",
        arguments: [
            "", " ", "{", "}", "{]", "[}", #"{"a"}"#, #"{"a":}"#, #"{"a" 1}"#, #"{"a":1,}"#, "[1,]", "[,1]", #"{,"a":1}"#,
            #"{a:1}"#, "{'a':1}", #"{"a":1}}"#, #"{"a":1} x"#, #"{"a":1}{}"#, "{} []", #"{"a":tru}"#, #"{"a":nul}"#,
            #"{"a":True}"#, #"{"a":1 2}"#, #"{"a":"x" "b":1}"#, #"{"a":undefined}"#, "\u{FEFF}{}",
        ]
    )
    func rejectsMalformed(_ text: String) {
        #expect(scan(text) == .invalid)
    }

    @Test(
        "rejects bad strings",
        arguments: [
            #"{"a":"unterminated}"#, #"{"a":"bad \x escape"}"#, #"{"a":"\u12"}"#, #"{"a":"\u12G4"}"#, #"{"a":"\"#,
            #"{"a":"lone high \uD800"}"#, #"{"a":"lone low \uDC00"}"#, #"{"a":"high then text \uD800x"}"#,
            #"{"a":"high then non-low \uD800\u0041"}"#, #"{"a":"reversed \uDC00\uD800"}"#, "{\"a\":\"tab\there\"}",
            "{\"a\":\"new\nline\"}", "{\"a\":\"nul\u{0}\"}",
        ]
    )
    func rejectsBadStrings(_ text: String) {
        #expect(scan(text) == .invalid)
    }

    @Test(
        "rejects invalid UTF-8 in strings",
        arguments: [
            [0xFF], [0xC0, 0xAF], [0xC3], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
            [0x80], [0xE2, 0x82],
        ] as [[UInt8]]
    )
    func rejectsInvalidUTF8(_ bad: [UInt8]) {
        let document = Array(#"{"a":"x"#.utf8) + bad + Array(#"y"}"#.utf8)
        #expect(scan(document) == .invalid)
        #expect(document.withUnsafeBytes { UTF8Validation.isValid($0) } == false)
    }

    @Test("accepts every valid UTF-8 sequence length, at every alignment")
    func acceptsUTF8AtEveryAlignment() {
        for prefix in 0..<9 {
            let text = "{\"a\":\"" + String(repeating: "x", count: prefix) + "é中🙂\u{10FFFF}\u{7F}\"}"
            #expect(scan(text) == .object, "prefix \(prefix)")
        }
    }

    @Test(
        "accepts numbers in every valid form",
        arguments: ["0", "-0", "1", "-12", "0.5", "12.25", "1e3", "1E+3", "1e-3", "-1.5E-07", "12345678901234567890123", "1.7976931348623157e308"]
    )
    func acceptsNumbers(_ number: String) {
        #expect(scan("{\"n\":\(number)}") == .object)
        #expect(scan("[\(number)]") == .notObject)
    }

    @Test(
        "rejects malformed numbers",
        arguments: ["01", "-", "+1", ".5", "5.", "1.e3", "1e", "1e+", "--1", "0x10", "1.5.2", "NaN", "Infinity", "-Infinity", "1_000"]
    )
    func rejectsNumbers(_ number: String) {
        #expect(scan("{\"n\":\(number)}") == .invalid)
    }

    @Test("nesting up to 512 levels is valid; deeper is invalid, without recursion")
    func depthLimit() {
        #expect(scan(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) == .notObject)
        #expect(scan(String(repeating: "[", count: 513) + String(repeating: "]", count: 513)) == .invalid)
        let objects = String(repeating: #"{"a":"#, count: 511) + "1" + String(repeating: "}", count: 511)
        #expect(scan(objects) == .object)
        #expect(scan(String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513)) == .invalid)
        // Far deeper than any stack could recurse, unterminated too.
        #expect(scan(String(repeating: "[", count: 1_000_000)) == .invalid)
        #expect(scan(String(repeating: #"{"a":["#, count: 200_000)) == .invalid)
    }

    @Test("every truncation of a valid document is invalid")
    func truncationsAreInvalid() throws {
        let line = try #require(CorpusLine.all.first { $0.name == "event-store-stored-event" })
        let bytes = line.payload
        for length in 0..<bytes.count {
            #expect(scan(Array(bytes[0..<length])) == .invalid, "length \(length)")
        }
        #expect(scan(bytes) == .object)
    }

    @Test(
        "decodes escapes in the strings it returns",
        arguments: [
            (#"a\u0062c"#, "abc"), (#"q\"b\\s\/"#, "q\"b\\s/"), (#"\b\f\n\r\t"#, "\u{8}\u{C}\n\r\t"), (#"\u00e9\u4E2D"#, "é中"),
            (#"\uD83D\uDE00!"#, "😀!"), (#"\uDBFF\uDFFF"#, "\u{10FFFF}"),
        ]
    )
    func decodesEscapes(_ escaped: String, _ expected: String) {
        let event = mapEvent("cim.d.events.a.b", payload: #"{"event_id":""# + escaped + #""}"#)
        #expect(event.id == expected)
        #expect(event.violations.isEmpty)
    }

    @Test("keys with escapes are recognised", arguments: [#"event\u005ftype"#, #"\u0065vent_type"#])
    func escapedKeys(_ key: String) {
        let event = mapEvent("events.Order.1", payload: #"{""# + key + #"":"OrderPlaced"}"#)
        #expect(event.eventType == "order_placed")
    }

    @Test(
        "converts numbers exactly enough for times",
        arguments: [
            ("0", 0.0), ("-0", 0.0), ("1751741517", 1_751_741_517.0), ("1751741517.25", 1_751_741_517.25), ("1.75174151725e9", 1_751_741_517.25),
            ("175174151725E-2", 1_751_741_517.25), ("-12.5", -12.5), ("0.000001", 0.000001), ("12345678901234567890123", 1.2345678901234568e22),
        ]
    )
    func convertsNumbers(_ text: String, _ expected: Double) {
        let value = Array(text.utf8).withUnsafeBytes { JSONNumber.double($0) }
        #expect(value.map { abs($0 - expected) <= abs(expected) * 1e-15 } == true, "\(String(describing: value))")
    }

    @Test("huge exponents do not loop or trap")
    func hugeExponents() {
        #expect(Array("1e999999999".utf8).withUnsafeBytes { JSONNumber.double($0) }?.isInfinite == true)
        #expect(Array("1e-999999999".utf8).withUnsafeBytes { JSONNumber.double($0) } == 0)
    }
}
