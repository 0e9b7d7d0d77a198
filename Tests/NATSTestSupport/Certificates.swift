import Foundation

/// A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made with `openssl` for TLS tests.
public struct TestCertificates: Sendable {
    public let directory: String
    public var caFile: String { directory + "/ca.pem" }
    public var serverCertificate: String { directory + "/server.pem" }
    public var serverKey: String { directory + "/server-key.pem" }
    public var clientCertificate: String { directory + "/client.pem" }
    public var clientKey: String { directory + "/client-key.pem" }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nats-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = """
            set -e
            cd "\(directory)"
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 2 -subj "/CN=CIM Test CA" 2>/dev/null
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > server.ext
            openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj "/CN=localhost" 2>/dev/null
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server.pem -days 2 -extfile server.ext 2>/dev/null
            printf 'extendedKeyUsage=clientAuth\\n' > client.ext
            openssl req -newkey rsa:2048 -nodes -keyout client-key.pem -out client.csr -subj "/CN=cim-client" 2>/dev/null
            openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out client.pem -days 2 -extfile client.ext 2>/dev/null
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NATSServerError(message: "openssl could not make the test certificates (is openssl installed?)")
        }
    }

    /// A nats-server `tls` block; `verify: true` demands a client certificate.
    public func serverBlock(verifyClients: Bool) -> String {
        """
        tls: {
          cert_file: "\(serverCertificate)"
          key_file: "\(serverKey)"
          ca_file: "\(caFile)"
          verify: \(verifyClients)
          timeout: 5
        }
        """
    }
}
