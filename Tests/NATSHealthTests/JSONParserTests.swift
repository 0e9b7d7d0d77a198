import NATSHealth
import Testing

@Suite struct JSONParserTests {
    static let document =
        #"{"server_id":"NABC","now":"2026-01-02T03:04:05.5Z","n":[1,-2.5,3e2],"o":{"t":true,"f":false,"z":null},"s":"a\"b\\c\u00e9\ud83d\ude00"}"#

    @Test func parsesEveryKindOfValueInOrder() throws {
        let value = try JSONParser.parse(Self.document)
        #expect(value["server_id"]?.string == "NABC")
        #expect(value["n"]?.array == [.number(1), .number(-2.5), .number(300)])
        #expect(value["o", "t"]?.bool == true)
        #expect(value["o", "z"] == .null)
        #expect(value["s"]?.string == "a\"b\\cé😀")
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["server_id", "now", "n", "o", "s"])
    }

    @Test func everyTruncationIsAnError() {
        let bytes = Array(Self.document.utf8)
        for end in 0..<bytes.count {
            #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(bytes[0..<end]) }
        }
    }

    @Test(arguments: ["garbage", "{\"a\":1}x", "{\"a\" 1}", "[1,]", "{\"a\":01}", "\"\u{01}\"", "{\"a\":-}", "nul", "<html>500</html>"])
    func malformedDocumentsAreErrors(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func deepNestingIsRejectedNotCrashed() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }

    @Test func hugeAndNegativeNumbersAreNeverReadAsCounts() throws {
        let value = try JSONParser.parse(#"{"big":1e400,"u64":18446744073709551616,"neg":-1,"frac":1.5,"ok":9007199254740993,"text":"12"}"#)
        #expect(value["big"]?.number == nil)
        #expect(value["big"]?.count == nil)
        #expect(value["u64"]?.count == nil)
        #expect(value["neg"]?.count == nil)
        #expect(value["frac"]?.count == nil)
        #expect(value["text"]?.count == nil)
        #expect(value["missing"]?.count == nil)
        #expect(value["ok"]?.count == 9_007_199_254_740_992)
    }
}
