import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import Monitor
import NATS
import NATSHealth
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `serve` wired together: the monitor service and its HTTP endpoints in one Hummingbird application that shuts
/// down gracefully on SIGTERM and SIGINT (final snapshot, `stopping` event, drain).
public struct MonitorApplication: Sendable {
    public let client: NATSClient
    public let configuration: MonitorConfiguration
    public let settings: ServeSettings
    public let host: String
    public let port: Int
    /// The NATS health collector's settings; it runs when a source is configured.
    public let health: HealthSettings

    /// How long a connection may stay without a complete request head (idle between requests, or sending its
    /// headers slowly) before it is closed.
    public static let idleTimeout: Duration = .seconds(30)

    public init(
        client: NATSClient,
        configuration: MonitorConfiguration,
        settings: ServeSettings,
        host: String,
        port: Int,
        health: HealthSettings = HealthSettings()
    ) {
        self.client = client
        self.health = health
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
        var services: [any Service] = [monitor]
        var source: any MetricsSource = monitor
        if health.isEnabled {
            Self.returnLargeBuffersToTheSystem()
            // After the monitor in the group, so it stops first: it publishes through the monitor's client.
            let collector: HealthCollector
            do {
                collector = try HealthCollector(
                    settings: health,
                    systemOptions: try health.systemOptions(base: client.options),
                    jetStream: JetStream(client: client),
                    publish: { event in await publisher.publish("nats.\(event.name)", event.details) }
                )
            } catch {
                throw ConfigurationError("\(error)")
            }
            services.append(collector)
            source = HealthMetricsSource(monitor: monitor, collector: collector)
        }
        let http = try MonitorHTTP(source: source, basicAuthUsers: configuration.basicAuthUsers, protectHealth: configuration.protectHealth)
        var tls: TLSConfiguration?
        if let certificate = configuration.tlsCertificateFile, let key = configuration.tlsKeyFile {
            do {
                tls = TLSConfiguration.makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
                )
            } catch {
                throw ConfigurationError("cannot load the HTTP TLS certificate or key: \(error)")
            }
        }
        let listening = ListeningFlag()
        let app = Application(
            router: http.router(),
            server: try Self.server(tls: tls, idleTimeout: Self.idleTimeout),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "cim-monitor"),
            services: services,
            onServerRunning: { _ in listening.set() },
            logger: logger
        )
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch let error where (error is IOError || error is SocketAddressError) && !listening.value {
            throw ConfigurationError("cannot listen on \(ListenAddress(host: host, port: port)): \(Self.reason(error))")
        }
    }

    /// The HTTP/1.1 server (over TLS when `tls` is given) that closes connections idle for `idleTimeout`.
    public static func server(tls: TLSConfiguration?, idleTimeout: Duration) throws -> HTTPServerBuilder {
        let http1: HTTPServerBuilder = .http1(configuration: HTTP1Channel.Configuration(idleTimeout: TimeAmount(idleTimeout)))
        guard let tls else { return http1 }
        return try .tls(http1, tlsConfiguration: tls)
    }

    /// Why binding failed, in a few lowercase words (`address already in use`).
    private static func reason(_ error: any Error) -> String {
        if let error = error as? IOError {
            let text = String(cString: strerror(error.errnoCode))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
        if error is SocketAddressError { return "the host name does not resolve" }
        return "\(error)".split(separator: "\n").first.map(String.init) ?? "unknown error"
    }
}

/// Whether the HTTP server got as far as listening: an error before that is a bind failure.
private final class ListeningFlag: Sendable {
    private let state = Mutex(false)
    var value: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}
