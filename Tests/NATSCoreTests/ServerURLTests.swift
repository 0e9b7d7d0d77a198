import Testing

@testable import NATSCore

@Suite struct ServerURLTests {
    @Test func parsesSchemesCredentialsAndPorts() throws {
        let url = try ServerURL("tls://alice:s%40cret@nats.example:4443")
        #expect(url.tls && url.host == "nats.example" && url.port == 4443)
        #expect(url.user == "alice" && url.password == "s@cret")
        #expect(url.description == "tls://alice:***@nats.example:4443")
        #expect(try ServerURL("127.0.0.1").port == 4222)
        #expect(try ServerURL("nats://[::1]:5222").host == "::1")
    }

    @Test(arguments: ["http://x:1", "nats://:4222", "nats://x:notaport", "nats://x:99999", "nats//host:4222", "host/x:4222", "nats://ho st:1"])
    func rejectsBadURLs(_ text: String) {
        #expect(throws: NATSError.self) { try ServerURL(text) }
    }

    @Test func errorsNeverShowPasswords() {
        let error = NATSError.fromServer("Authorization Violation")
        #expect(error.code == .authorizationViolation)
        #expect(!String(describing: try? ServerURL("nats://u:hunter2@h:1")).contains("hunter2"))
    }

    /// Hardening: `--server nats//host:4222` (a missing colon) was taken as the host `nats`.
    @Test func aURLWithoutItsSchemeColonIsRefusedNotReadAsAHost() {
        #expect {
            try ServerURL("nats//host:4222")
        } throws: { error in
            let message = "\(error)"
            return message.contains("nats//host:4222") && message.contains("nats://host:port")
        }
    }

    /// Hardening: `nats://TOKEN@host` is a token, as in nats.go, and is never shown.
    @Test func aUserWithoutPasswordIsATokenAndIsRedacted() throws {
        let url = try ServerURL("nats://s3cr3tT0ken@nats.example:4222")
        #expect(url.token == "s3cr3tT0ken")
        #expect(url.description == "nats://***@nats.example:4222")
        #expect(!ServerURL.redacted("nats://s3cr3tT0ken@h:1").contains("s3cr3t"))
        #expect(!ServerURL.redacted("tls://u:pw@h:1").contains("pw"))
        #expect(ServerURL.redacted("nats://h:1") == "nats://h:1")
        #expect(try ServerURL("nats://alice:pw@h").token == nil)
    }
}
