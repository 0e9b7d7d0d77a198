import Foundation
import NATS
import NATSCore
import NATSTestSupport
import Testing

/// Each authentication method against a server configured for it, and a wrong credential for each.
@Suite(.timeLimit(.minutes(1)))
struct AuthenticationTests {
    static func connect(_ server: NATSServer, auth: NATSAuth, url: String? = nil, tls: NATSTLSOptions? = nil) async throws -> NATSClient {
        var options = try NATSOptions(urls: [url ?? server.url])
        options.auth = auth
        options.tls = tls
        options.allowReconnect = false
        let client = try NATSClient(options: options)
        try await client.connect()
        return client
    }

    static func roundTrip(_ client: NATSClient) async throws {
        let subscription = try await client.subscribe(to: "auth.check", maxMessages: 1)
        try await client.flush()
        try await client.publish("ok", to: "auth.check")
        var texts: [String] = []
        for await message in subscription { texts.append(message.string) }
        #expect(texts == ["ok"])
    }

    static func expectRejected(_ server: NATSServer, auth: NATSAuth, url: String? = nil) async {
        await #expect {
            _ = try await connect(server, auth: auth, url: url)
        } throws: { error in
            guard let error = error as? NATSError else { return false }
            return error.code == .authorizationViolation && !error.description.contains("s3cret") && !error.description.contains("wrong")
        }
    }

    @Test func userAndPassword() async throws {
        let server = try NATSServer(jetStream: false, extraConfiguration: "authorization: { user: cim, password: s3cret }")
        try server.start()
        defer { server.shutdown() }
        let client = try await Self.connect(server, auth: .userPassword(user: "cim", password: "s3cret"))
        try await Self.roundTrip(client)
        await client.close()
        let inURL = try await Self.connect(server, auth: .none, url: "nats://cim:s3cret@127.0.0.1:\(server.port)")
        await inURL.close()
        await Self.expectRejected(server, auth: .userPassword(user: "cim", password: "wrong"))
    }

    @Test func token() async throws {
        let server = try NATSServer(jetStream: false, extraConfiguration: "authorization: { token: s3cret }")
        try server.start()
        defer { server.shutdown() }
        let client = try await Self.connect(server, auth: .token("s3cret"))
        try await Self.roundTrip(client)
        await client.close()
        await Self.expectRejected(server, auth: .token("wrong"))
    }

    @Test func nkey() async throws {
        let user = NKeyPair.generate(.user)
        let server = try NATSServer(jetStream: false, extraConfiguration: NKeyServerConfig.authorization(users: [user.publicKey]))
        try server.start()
        defer { server.shutdown() }
        let client = try await Self.connect(server, auth: .nkey(seed: user.seed))
        try await Self.roundTrip(client)
        await client.close()
        await Self.expectRejected(server, auth: .nkey(seed: NKeyPair.generate(.user).seed))
    }

    @Test func credentialsFile() async throws {
        let issuer = JWTIssuer()
        let server = try NATSServer(jetStream: false, extraConfiguration: issuer.serverConfig())
        try server.start()
        defer { server.shutdown() }
        let credentials = issuer.issueUser(name: "monitor")
        let client = try await Self.connect(server, auth: .credentials(credentials.credsFileContents))
        try await Self.roundTrip(client)
        await client.close()
        let stranger = JWTIssuer().issueUser(name: "stranger")
        await Self.expectRejected(server, auth: .credentials(stranger.credsFileContents))
    }

    @Test func tlsWithCAAndClientCertificate() async throws {
        let certificates = try TestCertificates()
        let server = try NATSServer(jetStream: false, extraConfiguration: certificates.serverBlock(verifyClients: true))
        try server.start()
        defer { server.shutdown() }
        let tls = NATSTLSOptions(caFile: certificates.caFile, certificateFile: certificates.clientCertificate, keyFile: certificates.clientKey)
        let client = try await Self.connect(server, auth: .none, url: "tls://127.0.0.1:\(server.port)", tls: tls)
        try await Self.roundTrip(client)
        await client.close()
        // Without a client certificate the server refuses the TLS handshake.
        await #expect(throws: NATSError.self) {
            _ = try await Self.connect(server, auth: .none, tls: NATSTLSOptions(caFile: certificates.caFile))
        }
        // Without TLS options a plain client cannot talk to a TLS-only server.
        await #expect(throws: NATSError.self) {
            _ = try await Self.connect(server, auth: .none)
        }
    }
}
