import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MonitorServer

@Suite struct HeadAndHealthTests {
    @Test(arguments: ["/metrics", "/healthz", "/readyz", "/"])
    func headAnswersWithTheHeadersOfGetAndNoBody(_ path: String) async throws {
        let app = application(MonitorHTTP(source: FoldSource(), verifier: nil, protectHealth: false))
        try await app.test(.router) { client async throws in
            let get = try await client.execute(uri: path, method: .get)
            let head = try await client.execute(uri: path, method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentType] == get.headers[.contentType])
            #expect(head.headers[.contentLength] == String(get.body.readableBytes))
        }
    }

    @Test func headNeedsCredentialsLikeGet() async throws {
        let app = application(try MonitorHTTP(source: FoldSource(), basicAuthUsers: ["prometheus": Hashes.cheap]))
        try await app.test(.router) { client async throws in
            #expect(try await client.execute(uri: "/metrics", method: .head).status == .unauthorized)
            #expect(try await client.execute(uri: "/metrics", method: .head, headers: basic("prometheus", Hashes.password)).status == .ok)
            #expect(try await client.execute(uri: "/healthz", method: .head).status == .ok)
        }
    }

    @Test func readyzSaysWhyItIsNotReady() async throws {
        let app = application(MonitorHTTP(source: FoldSource(notReady: "catching up on CIM_EVENTS"), verifier: nil, protectHealth: false))
        try await app.test(.router) { client async throws in
            let response = try await client.execute(uri: "/readyz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(String(buffer: response.body) == "not ready: catching up on CIM_EVENTS\n")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }
}
