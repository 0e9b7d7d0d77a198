import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MonitorServer

/// Basic auth under load: bcrypt (about 50 ms a check at cost 10 here) must not hold up other requests, and its
/// timing must not tell which users exist. Serialized, since each test measures time.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct BasicAuthLoadTests {
    static func app(concurrentVerifications: Int = 1) throws -> some ApplicationProtocol {
        let verifier = try CredentialVerifier(users: ["prometheus": Hashes.costly], maximumConcurrentVerifications: concurrentVerifications)
        return application(MonitorHTTP(source: FoldSource(), verifier: verifier, protectHealth: false))
    }

    /// Before: every request ran bcrypt (cost 12: about 0.2 s of a core) inline, with no cache and no limit, so a
    /// scrape paid for bcrypt every time and a few clients sending wrong passwords used every core.
    @Test func basicAuthDoesNotBlockOtherRequests() async throws {
        let verifier = try CredentialVerifier(users: ["prometheus": Hashes.standard], maximumConcurrentVerifications: 1)
        try await application(MonitorHTTP(source: FoldSource(), verifier: verifier, protectHealth: false)).test(.router) { client async throws in
            let right = basic("prometheus", Hashes.password)
            var first: HTTPResponse.Status?
            let bcryptTime = try await seconds { first = try await client.execute(uri: "/metrics", method: .get, headers: right).status }
            #expect(first == .ok)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for attempt in 0..<32 {
                    group.addTask { _ = try await client.execute(uri: "/metrics", method: .get, headers: basic("prometheus", "guess \(attempt)")) }
                }
                try await Task.sleep(for: .milliseconds(20))
                var health: HTTPResponse.Status?
                let healthTime = try await seconds { health = try await client.execute(uri: "/healthz", method: .get).status }
                var metrics: HTTPResponse.Status?
                let metricsTime = try await seconds { metrics = try await client.execute(uri: "/metrics", method: .get, headers: right).status }
                #expect(health == .ok && metrics == .ok)
                #expect(healthTime < bcryptTime / 2, "/healthz took \(healthTime) s during a flood of wrong passwords; bcrypt takes \(bcryptTime) s")
                #expect(
                    metricsTime < bcryptTime / 2,
                    "/metrics with a verified password took \(metricsTime) s during a flood of wrong passwords; bcrypt takes \(bcryptTime) s"
                )
                try await group.waitForAll()
            }
        }
    }

    /// Before: an unknown user was turned away without bcrypt (under a millisecond) and a known one after it (tens of
    /// milliseconds), so the timing told which users exist.
    @Test func unknownUserTakesAsLongAsAKnownUser() async throws {
        try await Self.app(concurrentVerifications: 4).test(.router) { client async throws in
            var known: [Double] = []
            var unknown: [Double] = []
            var statuses: [HTTPResponse.Status] = []
            for attempt in 0..<5 {
                known.append(
                    try await seconds {
                        statuses.append(try await client.execute(uri: "/metrics", method: .get, headers: basic("prometheus", "x\(attempt)")).status)
                    }
                )
                unknown.append(
                    try await seconds {
                        statuses.append(try await client.execute(uri: "/metrics", method: .get, headers: basic("nobody\(attempt)", "x")).status)
                    }
                )
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized }, "\(statuses)")
            let knownMedian = known.sorted()[2]
            let unknownMedian = unknown.sorted()[2]
            #expect(unknownMedian > knownMedian * 0.5, "unknown user \(unknownMedian) s, known user \(knownMedian) s")
            #expect(unknownMedian < knownMedian * 2, "unknown user \(unknownMedian) s, known user \(knownMedian) s")
        }
    }

    @Test func wrongPasswordsBeyondTheConcurrencyLimitAreTurnedAwayAtOnce() async throws {
        try await Self.app(concurrentVerifications: 1).test(.router) { client async throws in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for attempt in 0..<8 {
                    group.addTask { try await client.execute(uri: "/metrics", method: .get, headers: basic("prometheus", "guess \(attempt)")).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests }, "\(statuses)")
            #expect(statuses.contains(.tooManyRequests), "\(statuses)")
            #expect(statuses.contains(.unauthorized), "\(statuses)")
        }
    }
}
