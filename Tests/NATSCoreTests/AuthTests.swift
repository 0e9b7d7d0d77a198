import Foundation
import NATSTestSupport
import Testing

@testable import NATSCore

/// Known answers produced by the Go `nkeys` package (`nkeys.FromRawSeed`, `kp.PublicKey`, `kp.Sign`).
private struct GoVector: Sendable, CustomTestStringConvertible {
    let type: NKeyType
    let rawSeedHex: String
    let seed: String
    let publicKey: String
    let nonce: String
    let signature: String

    var testDescription: String { "\(type)" }

    var rawSeed: [UInt8] {
        stride(from: 0, to: rawSeedHex.count, by: 2).map { offset in
            let start = rawSeedHex.index(rawSeedHex.startIndex, offsetBy: offset)
            return UInt8(rawSeedHex[start..<rawSeedHex.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    static let all = [
        GoVector(
            type: .user,
            rawSeedHex: "01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3da",
            seed: "SUAACCAPCYOSIKZSHFAEOTSVLRRWU4LYP6DI3FE3UKU3BN56YXGNHWVCJA",
            publicKey: "UDSAGCMYZ7K22FZDYFU7SVVKBOPLQYM3LGJL2YJMFL2CR26HT6G7AGME",
            nonce: "Hx2mQ1-nonce_0",
            signature: "owB4UVJZ3cFI0C1QT70N8ECVLfDJSwQi2r0jw5mbT7cBF_SrAgMTdBLyMxPmxce456gJCh8mUG7_fDZaQDnNAQ"
        ),
        GoVector(
            type: .account,
            rawSeedHex: "20272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f9",
            seed: "SAACAJZOGU6EGSSRLBPWM3LUPOBITEEXT2S2ZM52YHEM7VW54TV7F6K76E",
            publicKey: "AABWB3PRUB6CSJO7AP3Y35EOKRPW2EXWJZ3KBFL32OGQQCJODICP4OYF",
            nonce: "Hx2mQ1-nonce_1",
            signature: "dFQS0Go6iLyf9ZAOCEwvhoFd9R2ThIsrImu0WQFY2cWeFxdhow6zibSq4vx4QLJtduuCmyOcHg0P2T7gml49Ag"
        ),
        GoVector(
            type: .operator,
            rawSeedHex: "3f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a1118",
            seed: "SOAD6RSNKRNWE2LQO57ILDETTKQ2RL5WXXCMXUWZ4DT655P4AMFBCGA5QA",
            publicKey: "OC7VGCZCHDDCWXZK6D373EYVGIHSQF7XBP6U6GZJ4D25S23I2QQMGPXE",
            nonce: "Hx2mQ1-nonce_2",
            signature: "kkraI_ojNOOH7emwfy33olW9Q3J-QF5v-y44QJK9oqiPQ0pI5sNx7ECnW33AEP29b-mr8gGpMTYJBlEc9OHLAQ"
        ),
    ]
}

/// Replaces the character at `offset` with another valid base32 character.
private func corrupt(_ text: String, at offset: Int) -> String {
    var characters = Array(text)
    characters[offset] = characters[offset] == "A" ? "B" : "A"
    return String(characters)
}

@Suite("NKEYs")
struct NKeyTests {
    @Test(arguments: GoVector.all)
    fileprivate func derivesPublicKeyFromSeedLikeGo(vector: GoVector) throws {
        let keyPair = try NKeyPair(seed: vector.seed)
        #expect(keyPair.type == vector.type)
        #expect(keyPair.publicKey == vector.publicKey)
        #expect(keyPair.seed == vector.seed)
        #expect(NKeyCodec.encodeSeed(vector.rawSeed, type: vector.type) == vector.seed)
    }

    @Test(arguments: GoVector.all)
    fileprivate func signsNonceLikeGo(vector: GoVector) throws {
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

@Suite("Creds files")
struct CredentialsTests {
    static let jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVIn0.c2ln"

    static func file(jwt: String = jwt, seed: String = GoVector.all[0].seed) -> String {
        """
        -----BEGIN NATS USER JWT-----
        \(jwt)
        ------END NATS USER JWT------

        ************************* IMPORTANT *************************
        NKEY Seed printed below can be used to sign and prove identity.
        NKEYs are sensitive and should be treated as secrets.

        -----BEGIN USER NKEY SEED-----
        \(seed)
        ------END USER NKEY SEED------

        *************************************************************

        """
    }

    @Test func parsesArmouredFile() throws {
        let credentials = try Credentials(contents: Self.file())
        #expect(credentials.jwt == Self.jwt)
        #expect(credentials.seed == GoVector.all[0].seed)
        #expect(credentials.keyPair.publicKey == GoVector.all[0].publicKey)
    }

    @Test func parsesCRLFLineEndingsAndIndentation() throws {
        let contents = Self.file().replacingOccurrences(of: "\n", with: "\r\n").replacingOccurrences(of: "\r\n-", with: "\r\n  -")
        let credentials = try Credentials(contents: contents)
        #expect(credentials.jwt == Self.jwt)
        #expect(credentials.seed == GoVector.all[0].seed)
    }

    @Test func parsesFileWithoutBannerOrTrailingNewline() throws {
        let seed = GoVector.all[2].seed
        let contents = "---BEGIN NATS USER JWT---\n\(Self.jwt)\n---END---\n---BEGIN USER NKEY SEED---\n\(seed)\n---END---"
        let credentials = try Credentials(contents: contents)
        #expect(credentials.jwt == Self.jwt)
        #expect(credentials.seed == seed)
    }

    @Test func fallsBackToASeedLine() throws {
        let contents = "-----BEGIN NATS USER JWT-----\n\(Self.jwt)\n------END NATS USER JWT------\n\n  \(GoVector.all[1].seed)  \n"
        let credentials = try Credentials(contents: contents)
        #expect(credentials.keyPair.type == .account)
    }

    @Test func rendersFilesTheParserReads() throws {
        let issued = JWTIssuer().issueUser()
        let parsed = try Credentials(contents: issued.credsFileContents)
        #expect(parsed.jwt == issued.jwt)
        #expect(parsed.seed == issued.seed)
    }

    @Test(arguments: [
        ("", NATSAuthError.Code.invalidCredentials),
        ("just some text\n", .invalidCredentials),
        ("-----BEGIN NATS USER JWT-----\n\(CredentialsTests.jwt)\n------END NATS USER JWT------\n", .invalidCredentials),
        ("\(GoVector.all[0].seed)\n", .invalidCredentials),
        ("-----BEGIN NATS USER JWT-----\n\n------END NATS USER JWT------\n", .invalidCredentials),
        (CredentialsTests.file(seed: corrupt(GoVector.all[0].seed, at: 30)), .invalidSeed),
    ])
    func rejectsIncompleteFiles(contents: String, code: NATSAuthError.Code) {
        #expect {
            try Credentials(contents: contents)
        } throws: { error in
            guard let error = error as? NATSAuthError else { return false }
            let text = "\(error)"
            return error.code == code && !text.contains(Self.jwt) && !text.contains(GoVector.all[0].seed.dropFirst(2).prefix(20))
        }
    }

    @Test func printingNeverShowsSecrets() throws {
        let credentials = try Credentials(contents: Self.file())
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped] {
            #expect(!text.contains(GoVector.all[0].seed))
            #expect(!text.contains(Self.jwt))
            #expect(text.contains(GoVector.all[0].publicKey))
        }
    }
}

@Suite("JWT issuer")
struct JWTIssuerTests {
    /// Decodes a token into header and claims objects and checks its signature against the claimed issuer.
    private func decode(_ token: String) throws -> (header: [String: Any], claims: [String: Any]) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        let header = try #require(Base64URL.decode(parts[0]))
        let claims = try #require(Base64URL.decode(parts[1]))
        let signature = try #require(Base64URL.decode(parts[2]))
        let claimsObject = try #require(try JSONSerialization.jsonObject(with: Data(claims)) as? [String: Any])
        let issuer = try #require(claimsObject["iss"] as? String)
        #expect(NKeyPair.verify(signature, for: Array("\(parts[0]).\(parts[1])".utf8), publicKey: issuer))
        #expect(!NKeyPair.verify(signature, for: Array("\(parts[0]).\(parts[1])x".utf8), publicKey: issuer))
        let headerObject = try #require(try JSONSerialization.jsonObject(with: Data(header)) as? [String: Any])
        return (headerObject, claimsObject)
    }

    @Test func hashesLikeGoSHA512_256() {
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA512_256.hash([])) == "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a")
        #expect(hex(SHA512_256.hash(Array("abc".utf8))) == "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23")
        let long = [UInt8](repeating: 0x61, count: 1000)  // spans several blocks and a padding block
        #expect(SHA512_256.hash(long).count == 32)
    }

    @Test func computesJTILikeGo() {
        let standard = NATSJWT.standardClaims(subject: "ASUBJECT", name: "test", issuedAt: 1_700_000_000, issuer: "OISSUER")
        #expect(OrderedJSON.object(standard).text == #"{"iat":1700000000,"iss":"OISSUER","name":"test","sub":"ASUBJECT"}"#)
        #expect(NATSJWT.jti(ofStandardClaims: standard) == "IDCIFS3LSDFWTS2OLCDG5MZ2GG2JDH36QIYCT4Y2CV4USRA3QRGA")
    }

    @Test func escapesJSONStringsLikeGo() {
        #expect(OrderedJSON.string("a\"b\\c<&>\n\u{01}").text == #""a\"b\\c\u003c\u0026\u003e\n\u0001""#)
    }

    @Test func issuesAChainOfSignedJWTs() throws {
        let issuer = JWTIssuer(operatorName: "OP", accountName: "APP", issuedAt: 1_700_000_000)
        let credentials = issuer.issueUser(name: "monitor", issuedAt: 1_700_000_001)

        let (header, operatorClaims) = try decode(issuer.operatorJWT)
        #expect(header["typ"] as? String == "JWT")
        #expect(header["alg"] as? String == "ed25519-nkey")
        #expect(operatorClaims["iss"] as? String == issuer.operatorKeyPair.publicKey)
        #expect(operatorClaims["sub"] as? String == issuer.operatorKeyPair.publicKey)
        let operatorNATS = try #require(operatorClaims["nats"] as? [String: Any])
        #expect(operatorNATS["type"] as? String == "operator")
        #expect(operatorNATS["version"] as? Int == 2)
        #expect(operatorNATS["system_account"] as? String == issuer.systemAccount.publicKey)

        let accountClaims = try decode(issuer.account.jwt).claims
        #expect(accountClaims["iss"] as? String == issuer.operatorKeyPair.publicKey)
        #expect(accountClaims["sub"] as? String == issuer.account.publicKey)
        #expect(accountClaims["name"] as? String == "APP")
        let limits = try #require((accountClaims["nats"] as? [String: Any])?["limits"] as? [String: Any])
        #expect(limits["mem_storage"] as? Int == -1)
        #expect(limits["disk_storage"] as? Int == -1)
        let systemLimits = try #require((try decode(issuer.systemAccount.jwt).claims["nats"] as? [String: Any])?["limits"] as? [String: Any])
        #expect(systemLimits["mem_storage"] == nil)

        let userClaims = try decode(credentials.jwt).claims
        #expect(userClaims["iss"] as? String == issuer.account.publicKey)
        #expect(userClaims["sub"] as? String == credentials.keyPair.publicKey)
        #expect(credentials.keyPair.type == .user)
        #expect((userClaims["nats"] as? [String: Any])?["type"] as? String == "user")
    }

    @Test func setsJTIFromTheStandardClaims() throws {
        let issuer = JWTIssuer(issuedAt: 1_700_000_000)
        for token in [issuer.operatorJWT, issuer.account.jwt, issuer.systemAccount.jwt, issuer.issueUser().jwt] {
            let claims = try decode(token).claims
            let standard = NATSJWT.standardClaims(
                subject: try #require(claims["sub"] as? String),
                name: try #require(claims["name"] as? String),
                issuedAt: try #require(claims["iat"] as? Int),
                issuer: try #require(claims["iss"] as? String)
            )
            #expect(claims["jti"] as? String == NATSJWT.jti(ofStandardClaims: standard))
        }
    }

    @Test func rendersOperatorModeServerConfig() {
        let issuer = JWTIssuer()
        let config = issuer.serverConfig(jetStreamStoreDirectory: "test-store")
        #expect(config.contains("operator: \"\(issuer.operatorJWT)\""))
        #expect(config.contains("resolver: MEMORY"))
        #expect(config.contains("\"\(issuer.account.publicKey)\": \"\(issuer.account.jwt)\""))
        #expect(config.contains("\"\(issuer.systemAccount.publicKey)\": \"\(issuer.systemAccount.jwt)\""))
        #expect(config.contains("system_account: \"\(issuer.systemAccount.publicKey)\""))
        #expect(config.contains("jetstream: { store_dir: \"test-store\" }"))
        #expect(!issuer.serverConfig().contains("jetstream"))
        #expect(!config.contains(issuer.operatorKeyPair.seed))
    }

    @Test func rendersNKeyAuthorization() {
        let config = NKeyServerConfig.authorization(users: [GoVector.all[0].publicKey])
        #expect(config == "authorization: {\n  users: [\n    { nkey: \"\(GoVector.all[0].publicKey)\" }\n  ]\n}\n")
    }
}
