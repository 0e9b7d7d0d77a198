import Foundation
import NATSTestSupport
import Testing

@testable import NATSCore

@Suite("Creds files")
struct CredentialsTests {
    static let jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVIn0.c2ln"

    static func file(jwt: String = jwt, seed: String = GoVector.all[0].seed) -> String {
        Credentials.credsFile(jwt: jwt, seed: seed)
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
