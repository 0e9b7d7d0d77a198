import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import Monitor
import NATS
import NIOSSL
import ServiceLifecycle
import UnixSignals

/// `serve` wired together: the monitor service and its HTTP endpoints in one Hummingbird application that shuts
/// down gracefully on SIGTERM and SIGINT (final snapshot, `stopping` event, drain).
public struct MonitorApplication: Sendable {
    public let client: NATSClient
    public let configuration: MonitorConfiguration
    public let settings: ServeSettings
    public let host: String
    public let port: Int

    public init(client: NATSClient, configuration: MonitorConfiguration, settings: ServeSettings, host: String, port: Int) {
        self.client = client
        self.configuration = configuration
        self.settings = settings
        self.host = host
        self.port = port
    }

    /// Runs until a shutdown signal.
    public func run() async throws {
        let monitor = MonitorService(client: client, configuration: configuration, settings: settings)
        let publisher = MonitorEventPublisher(client: client, instance: settings.instance)
        let logger = Logger(label: "cim-monitor") { label in EventLogHandler(label: label, publisher: publisher) }
        let http = MonitorHTTP(monitor: monitor, basicAuthUsers: configuration.basicAuthUsers)
        var server: HTTPServerBuilder = .http1()
        if let certificate = configuration.tlsCertificateFile, let key = configuration.tlsKeyFile {
            do {
                let tls = TLSConfiguration.makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
                )
                server = try .tls(tlsConfiguration: tls)
            } catch {
                throw ConfigurationError("cannot load the HTTP TLS certificate or key: \(error)")
            }
        }
        let app = Application(
            router: http.router(),
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "cim-monitor"),
            services: [monitor],
            logger: logger
        )
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
