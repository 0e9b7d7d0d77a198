import Foundation
import Testing

@testable import CIMEvents

@Suite struct JSONStringEscaperTests {
    static func escaped(_ text: String, style: JSONStringEscaper.Style = .minimal) -> String {
        JSONStringEscaper.quoted(text, style: style)
    }

    static func escaped(bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        bytes.withUnsafeBytes { JSONStringEscaper.append(utf8: $0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    @Test(
        "escapes quotes, backslashes and control characters",
        arguments: [
            ("", #""""#), ("plain", #""plain""#), ("\"", #""\"""#), ("\\", #""\\""#), ("a\"b\\c", #""a\"b\\c""#),
            ("\n\r\t", #""\n\r\t""#), ("\u{0}", #""\u0000""#), ("\u{8}\u{C}", #""\u0008\u000c""#), ("\u{1B}[0m", #""\u001b[0m""#),
            ("\u{1F}", #""\u001f""#), ("\u{7F}", "\"\u{7F}\""), ("/", #""/""#),
        ]
    )
    func escapesWhatJSONRequires(text: String, expected: String) {
        #expect(Self.escaped(text) == expected)
    }

    @Test func copiesNonASCIIAsUTF8() {
        #expect(Self.escaped("é日本🚀\u{2028}\u{FEFF}") == "\"é日本🚀\u{2028}\u{FEFF}\"")
        #expect(Self.escaped("<a&b>") == #""<a&b>""#)
    }

    @Test func escapesLikeGoWhenAsked() {
        #expect(Self.escaped("a\"b\\c<&>\n\u{01}", style: .goCompatible) == #""a\"b\\c\u003c\u0026\u003e\n\u0001""#)
        #expect(Self.escaped("\u{2028}x\u{2029}é\u{2027}", style: .goCompatible) == "\"\\u2028x\\u2029é\u{2027}\"")
    }

    @Test(
        "writes invalid UTF-8 as U+FFFD",
        arguments: [
            ([0xFF], "\"\u{FFFD}\""), ([0x61, 0xC3], "\"a\u{FFFD}\""), ([0xC0, 0xAF], "\"\u{FFFD}\u{FFFD}\""),
            ([0xED, 0xA0, 0x80], "\"\u{FFFD}\u{FFFD}\u{FFFD}\""), ([0xE6, 0x97, 0x22], "\"\u{FFFD}\\\"\""),
            ([0xF4, 0x90, 0x80, 0x80], "\"\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\""), ([0xC3, 0xA9, 0x0A], "\"é\\n\""),
        ] as [([UInt8], String)]
    )
    func replacesInvalidUTF8(bytes: [UInt8], expected: String) {
        #expect(Self.escaped(bytes: bytes) == expected)
    }

    @Test func everyEscapedStringParsesBackToItself() throws {
        var scalars: [Unicode.Scalar] = (0..<0x80).map { Unicode.Scalar(UInt8($0)) } + ["é", "日", "🚀", "\u{2028}", "\u{2029}", "\u{FFFD}"]
        scalars += scalars.reversed()
        let text = String(String.UnicodeScalarView(scalars))
        for style in [JSONStringEscaper.Style.minimal, .goCompatible] {
            let document = "[" + Self.escaped(text, style: style) + "]"
            let decoded = try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String]
            #expect(decoded == [text], "\(style)")
        }
    }

    @Test func appendsAfterWhatIsThere() {
        var output = Array("{".utf8)
        JSONStringEscaper.append("k", to: &output)
        output.append(UInt8(ascii: ":"))
        JSONStringEscaper.append("v\n", to: &output)
        #expect(String(decoding: output, as: UTF8.self) == #"{"k":"v\n""#)
    }
}
