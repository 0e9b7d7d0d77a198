import Foundation
import NATSTestSupport
import Testing

@testable import NATSCore

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
