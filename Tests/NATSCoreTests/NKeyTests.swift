import Foundation
import NATSTestSupport
import Testing

@testable import NATSCore

@Suite("NKEYs")
struct NKeyTests {
    @Test(arguments: GoVector.all)
    func derivesPublicKeyFromSeedLikeGo(vector: GoVector) throws {
        let keyPair = try NKeyPair(seed: vector.seed)
        #expect(keyPair.type == vector.type)
        #expect(keyPair.publicKey == vector.publicKey)
        #expect(keyPair.seed == vector.seed)
        #expect(NKeyCodec.encodeSeed(vector.rawSeed, type: vector.type) == vector.seed)
    }

    @Test(arguments: GoVector.all)
    func signsNonceLikeGo(vector: GoVector) throws {
        let keyPair = try NKeyPair(seed: vector.seed)
        let goSignature = try #require(Base64URL.decode(vector.signature))
        #expect(goSignature.count == 64)
        #expect(keyPair.verify(goSignature, for: vector.nonce.utf8))
        #if !canImport(Darwin)
        // BoringSSL's ed25519 is deterministic (RFC 8032), as Go's is; CryptoKit on Apple platforms randomizes.
        #expect(keyPair.signNonce(vector.nonce) == vector.signature)
        #endif
        let ours = try #require(Base64URL.decode(keyPair.signNonce(vector.nonce)))
        #expect(NKeyPair.verify(ours, for: Array(vector.nonce.utf8), publicKey: vector.publicKey))
        #expect(!NKeyPair.verify(ours, for: Array("other".utf8), publicKey: vector.publicKey))
    }

    @Test(arguments: NKeyType.allCases)
    func generatesKeysOfEachType(type: NKeyType) throws {
        let keyPair = NKeyPair.generate(type)
        let letter = String(keyPair.publicKey.prefix(1))
        #expect(keyPair.seed.hasPrefix("S" + letter))
        #expect(keyPair.seed.count == 58)
        #expect(keyPair.publicKey.count == 56)
        #expect(NKeyPair.isValidPublicKey(keyPair.publicKey, type: type))
        let restored = try NKeyPair(seed: keyPair.seed)
        #expect(restored.publicKey == keyPair.publicKey)
        #expect(restored.type == type)
        #expect(keyPair.verify(restored.sign([1, 2, 3]), for: [1, 2, 3]))
        #expect(NKeyPair.generate(type).publicKey != keyPair.publicKey)
    }

    @Test func typeLettersMatchGo() {
        let letters = NKeyType.allCases.map { String(NKeyPair.generate($0).publicKey.prefix(1)) }
        #expect(letters == ["O", "A", "U", "N", "C"])
    }

    @Test func printingNeverShowsTheSeed() throws {
        let vector = GoVector.all[0]
        let keyPair = try NKeyPair(seed: vector.seed)
        var dumped = ""
        dump(keyPair, to: &dumped)
        for text in ["\(keyPair)", String(reflecting: keyPair), dumped] {
            #expect(!text.contains(vector.seed))
            #expect(text.contains(vector.publicKey))
        }
        #expect("\(keyPair)" == "NKeyPair(user: \(vector.publicKey))")
    }

    @Test(arguments: [
        (corrupt(GoVector.all[0].seed, at: 20), "checksum"),
        (corrupt(GoVector.all[0].seed, at: 56), "checksum"),
        (String(GoVector.all[0].seed.dropLast(8)), "length"),
        (GoVector.all[0].seed + "AAAAAAAA", "length"),
        (GoVector.all[0].publicKey, "length"),
        (GoVector.all[0].seed.lowercased(), "base32"),
        (GoVector.all[0].seed + "======", "base32"),
        ("", "length"),
    ])
    func rejectsMalformedSeeds(seed: String, reason: String) {
        #expect {
            try NKeyPair(seed: seed)
        } throws: { error in
            guard let error = error as? NATSAuthError else { return false }
            let text = "\(error)"
            return error.code == .invalidSeed && text.contains(reason) && (seed.isEmpty || !text.contains(seed))
        }
    }

    @Test func rejectsSeedWithValidChecksumButWrongPrefix() {
        // A public-key-style prefix (user, 20 << 3) in the seed slot, correctly checksummed.
        let payload: [UInt8] = [20 << 3, 0] + [UInt8](repeating: 7, count: 32)
        let crc = CRC16.xmodem(payload)
        let text = Base32.encode(payload + [UInt8(crc & 0xFF), UInt8(crc >> 8)])
        #expect(throws: NATSAuthError.self) { try NKeyPair(seed: text) }
        #expect(throws: NATSAuthError.self) { try NKeyCodec.decodeSeed(text) }
        // A seed prefix with an unknown type (0x90 | 7 >> 5, 7 << 3 → type byte 7).
        let unknownType: [UInt8] = [0x90, 7 << 3] + [UInt8](repeating: 7, count: 32)
        let unknownCRC = CRC16.xmodem(unknownType)
        let unknownText = Base32.encode(unknownType + [UInt8(unknownCRC & 0xFF), UInt8(unknownCRC >> 8)])
        #expect {
            try NKeyPair(seed: unknownText)
        } throws: { error in
            (error as? NATSAuthError)?.code == .invalidSeed && !"\(error)".contains(unknownText)
        }
    }

    @Test func validatesPublicKeys() {
        let publicKey = GoVector.all[0].publicKey
        #expect(NKeyPair.isValidPublicKey(publicKey))
        #expect(NKeyPair.isValidPublicKey(publicKey, type: .user))
        #expect(!NKeyPair.isValidPublicKey(publicKey, type: .account))
        #expect(!NKeyPair.isValidPublicKey(corrupt(publicKey, at: 10)))
        #expect(!NKeyPair.isValidPublicKey(GoVector.all[0].seed))
        #expect(!NKeyPair.verify([UInt8](repeating: 0, count: 64), for: [1], publicKey: "not a key"))
    }
}
