import HTTPTypes
import Hummingbird
import HummingbirdBasicAuth
import HummingbirdTesting
import Monitor
import Synchronization
import Testing

@testable import MonitorServer

/// A real bcrypt verifier that counts how often it is asked.
final class CountingVerifier: PasswordHashVerifier {
    let calls = Atomic(0)
    func verifyPassword(_ password: String, createsHash hash: String) async throws -> Bool {
        calls.add(1, ordering: .relaxed)
        return try await BcryptPasswordVerifier().verifyPassword(password, createsHash: hash)
    }
}

/// A time that moves only when the test says.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
}

@Suite struct BasicAuthTests {
    static func app(protectHealth: Bool = false) throws -> some ApplicationProtocol {
        application(try MonitorHTTP(source: FoldSource(), basicAuthUsers: ["prometheus": Hashes.cheap], protectHealth: protectHealth))
    }

    @Test func metricsWithoutCredentialsAre401() async throws {
        try await Self.app().test(.router) { client async throws in
            for path in ["/metrics", "/", "/nowhere"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .unauthorized, "\(path)")
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Basic realm=") == true)
            }
        }
    }

    @Test func metricsWithTheRightPasswordAre200() async throws {
        try await Self.app().test(.router) { client async throws in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: basic("prometheus", Hashes.password))
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("cim_events_total{"))
        }
    }

    @Test func wrongPasswordIs401() async throws {
        try await Self.app().test(.router) { client async throws in
            for password in ["", "correct horse battery", Hashes.password + " ", "CORRECT HORSE BATTERY STAPLE"] {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: basic("prometheus", password))
                #expect(response.status == .unauthorized, "\(password)")
            }
        }
    }

    /// bcrypt's C implementation stops at a NUL: `password\0junk` was accepted as `password`.
    @Test func passwordWithNULOrControlBytesIs401() async throws {
        try await Self.app().test(.router) { client async throws in
            for suffix: [UInt8] in [[0], [0] + Array("junk".utf8), [1], [0x7F], [0x0A]] {
                let credentials = Array("prometheus:\(Hashes.password)".utf8) + suffix
                let response = try await client.execute(uri: "/metrics", method: .get, headers: basic(credentials))
                #expect(response.status == .unauthorized, "\(suffix)")
            }
            let nulInUser = Array("prometheus".utf8) + [0] + Array("x:\(Hashes.password)".utf8)
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: basic(nulInUser)).status == .unauthorized)
        }
    }

    @Test func unknownUserIs401() async throws {
        try await Self.app().test(.router) { client async throws in
            for user in ["grafana", "Prometheus", "prometheus ", ""] {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: basic(user, Hashes.password))
                #expect(response.status == .unauthorized, "\(user)")
            }
        }
    }

    @Test(arguments: ["Bearer abc", "Basic", "Basic !!!", "Basic " + "bm9jb2xvbg=="])
    func malformedAuthorizationIs401(_ authorization: String) async throws {
        try await Self.app().test(.router) { client async throws in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: authorization])
            #expect(response.status == .unauthorized)
        }
    }

    @Test func cachedCredentialSkipsBcrypt() async throws {
        let counter = CountingVerifier()
        let verifier = try CredentialVerifier(users: ["prometheus": Hashes.cheap], passwordVerifier: counter)
        let app = application(MonitorHTTP(source: FoldSource(), verifier: verifier, protectHealth: false))
        try await app.test(.router) { client async throws in
            for _ in 0..<5 {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: basic("prometheus", Hashes.password))
                #expect(response.status == .ok)
            }
            #expect(counter.calls.load(ordering: .relaxed) == 1)
            // A wrong password is never cached as right.
            for _ in 0..<2 {
                #expect(try await client.execute(uri: "/metrics", method: .get, headers: basic("prometheus", "nope")).status == .unauthorized)
            }
            #expect(counter.calls.load(ordering: .relaxed) == 3)
        }
    }

    @Test func cachedCredentialExpiresAfterFiveMinutes() async throws {
        let counter = CountingVerifier()
        let clock = ManualClock()
        let verifier = try CredentialVerifier(users: ["prometheus": Hashes.cheap], passwordVerifier: counter, now: { clock.now })
        let header = basic("prometheus", Hashes.password)[.authorization]
        #expect(await verifier.verify(authorization: header) == .accepted)
        clock.advance(.seconds(299))
        #expect(await verifier.verify(authorization: header) == .accepted)
        #expect(counter.calls.load(ordering: .relaxed) == 1)
        clock.advance(.seconds(2))
        #expect(await verifier.verify(authorization: header) == .accepted)
        #expect(counter.calls.load(ordering: .relaxed) == 2)
    }

    @Test func healthEndpointsAreOpenByDefault() async throws {
        try await Self.app().test(.router) { client async throws in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
        }
    }

    @Test func healthEndpointsAreProtectedWhenConfigured() async throws {
        try await Self.app(protectHealth: true).test(.router) { client async throws in
            for path in ["/healthz", "/readyz"] {
                #expect(try await client.execute(uri: path, method: .get).status == .unauthorized, "\(path)")
                #expect(try await client.execute(uri: path, method: .get, headers: basic("prometheus", Hashes.password)).status == .ok)
            }
        }
    }

    @Test(arguments: [
        ("$2b$31$" + String(repeating: "a", count: 53), "cost 31"),
        ("$2b$15$" + String(repeating: "a", count: 53), "cost 15"),
        ("$2b$12$abc", "is not a bcrypt hash"),
        ("plaintext-password", "is not a bcrypt hash"),
        ("$2y$10$" + String(repeating: "a", count: 53), "is not a bcrypt hash"),
    ])
    func unusableHashesAreRefusedNamingTheUser(_ hash: String, _ problem: String) {
        #expect {
            _ = try MonitorHTTP(source: FoldSource(), basicAuthUsers: ["ok": Hashes.cheap, "grafana": hash])
        } throws: { error in
            let text = "\(error)"
            return text.contains("user grafana") && text.contains(problem) && !text.contains(hash) && !text.contains("\n")
        }
    }
}
