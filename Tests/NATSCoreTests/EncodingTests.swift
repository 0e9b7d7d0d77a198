import Foundation
import NATSTestSupport
import Testing

@testable import NATSCore

@Suite("Base32, base64url and CRC-16")
struct EncodingTests {
    @Test(arguments: [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")])
    func encodesBase32LikeRFC4648WithoutPadding(plain: String, encoded: String) {
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
        #expect(Base32.decode(encoded) == Array(plain.utf8))
    }

    @Test func roundTripsBase32AndBase64URLForAllLengths() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            #expect(Base32.decode(Base32.encode(bytes)) == bytes)
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test func rejectsInvalidBase32() {
        #expect(Base32.decode("MY======") == nil)
        #expect(Base32.decode("my") == nil)
        #expect(Base32.decode("M1") == nil)
        #expect(Base32.decode("MZX") == nil)  // 3 characters cannot end on a byte boundary
    }

    @Test func encodesBase64URLWithoutPadding() {
        #expect(Base64URL.encode(Array("foob".utf8)) == "Zm9vYg")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("Zm9vYg==") == nil)
    }

    @Test func computesCRC16XMODEMCheckValue() {
        #expect(CRC16.xmodem(Array("123456789".utf8)) == 0x31C3)
        #expect(CRC16.xmodem([]) == 0)
    }
}
