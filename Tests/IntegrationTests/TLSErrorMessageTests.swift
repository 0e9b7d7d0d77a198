import Foundation
import NATS
import NATSCore
import NATSTestSupport
import Testing

/// TLS failures say what is wrong and which flag fixes it, and name the file; never BoringSSL's internals (which
/// carry a build path) or NIO's error enums.
@Suite(.timeLimit(.minutes(1)))
struct TLSErrorMessageTests {
    static func connectError(_ server: NATSServer, _ tls: NATSTLSOptions) async -> String {
        do {
            var options = try NATSOptions(urls: ["tls://127.0.0.1:\(server.port)"])
            options.tls = tls
            let client = try NATSClient(options: options)
            try await client.connect()
            await client.close()
            return "connected"
        } catch {
            return "\(error)"
        }
    }

    static func expectReadable(_ message: String) {
        for leak in ["swift-nio-ssl", "BoringSSL", "sslError", "failedToLoad", ".cc:", "268436"] {
            #expect(!message.contains(leak), "\(leak) in: \(message)")
        }
    }

    @Test func aServerThatRequiresAClientCertificateSaysWhichFlags() async throws {
        let certificates = try TestCertificates()
        let server = try NATSServer(jetStream: false, extraConfiguration: certificates.serverBlock(verifyClients: true))
        try server.start()
        defer { server.shutdown() }
        let message = await Self.connectError(server, NATSTLSOptions(caFile: certificates.caFile))
        #expect(message.contains("requires a client certificate (--tls-cert, --tls-key)"), "\(message)")
        Self.expectReadable(message)
    }

    @Test func aServerCertificateFromAnotherCANamesTheCAFlag() async throws {
        let certificates = try TestCertificates()
        let other = try TestCertificates()
        let server = try NATSServer(jetStream: false, extraConfiguration: certificates.serverBlock(verifyClients: false))
        try server.start()
        defer { server.shutdown() }
        let message = await Self.connectError(server, NATSTLSOptions(caFile: other.caFile))
        #expect(message.contains("not signed by --tls-ca \(other.caFile)"), "\(message)")
        Self.expectReadable(message)
    }

    @Test func aKeyThatDoesNotMatchTheCertificateSaysSo() throws {
        let certificates = try TestCertificates()
        let other = try TestCertificates()
        var options = NATSOptions()
        options.tls = NATSTLSOptions(caFile: certificates.caFile, certificateFile: certificates.clientCertificate, keyFile: other.clientKey)
        #expect {
            _ = try NATSClient(options: options)
        } throws: { error in
            let message = "\(error)"
            Self.expectReadable(message)
            return message.contains("does not match the certificate") && message.contains(other.clientKey)
        }
    }

    @Test func aMissingTLSFileIsNamedWithItsFlag() throws {
        var options = NATSOptions()
        options.tls = NATSTLSOptions(caFile: "/nonexistent/ca.pem")
        #expect {
            _ = try NATSClient(options: options)
        } throws: { "\($0)".contains("--tls-ca") && "\($0)".contains("/nonexistent/ca.pem") }
        let garbage = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID().uuidString).pem")
        try Data("not a certificate".utf8).write(to: garbage)
        defer { try? FileManager.default.removeItem(at: garbage) }
        options.tls = NATSTLSOptions(caFile: garbage.path)
        #expect {
            _ = try NATSClient(options: options)
        } throws: { error in
            Self.expectReadable("\(error)")
            return "\(error)".contains(garbage.path) && "\(error)".contains("--tls-ca")
        }
    }
}
