import Foundation

/// A real Alertmanager (Debian's `prometheus-alertmanager`) on a free loopback port, with the given configuration
/// and its storage in a temporary directory, clustering off.
///
/// The binary is `$ALERTMANAGER_BIN`, else `alertmanager`, else `prometheus-alertmanager` on `PATH` (`scripts/test`
/// installs the Debian package).
public final class AlertmanagerProcess: Sendable {
    private let server: ReadyServerProcess
    public var port: Int { server.port }
    public var directory: URL { server.directory }

    public init(configuration: String) throws {
        server = try ReadyServerProcess(name: "alertmanager")
        try configuration.write(toFile: server.path("alertmanager.yml"), atomically: true, encoding: .utf8)
    }

    /// Starts Alertmanager and waits until `/-/ready` answers 200.
    public func start(timeout: Double = 30) async throws {
        let arguments = [
            "--config.file=\(server.path("alertmanager.yml"))", "--storage.path=\(server.path("data"))",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ]
        guard try await server.start(try Self.binary(), arguments: arguments, timeout: timeout) else {
            throw AlertmanagerError(message: "alertmanager did not become ready on port \(port):\n\(log.suffix(3000))")
        }
    }

    /// Alertmanager's log so far, for failure messages.
    public var log: String { server.log }

    /// Stops Alertmanager and removes its directory.
    public func shutdown() { server.shutdown() }

    static func binary() throws -> URL {
        if let found = Executable.find("alertmanager", override: "ALERTMANAGER_BIN")
            ?? Executable.find("prometheus-alertmanager", override: "ALERTMANAGER_BIN")
        {
            return found
        }
        throw AlertmanagerError(
            message: "alertmanager not found: run scripts/test (it installs Debian's prometheus-alertmanager) or set ALERTMANAGER_BIN"
        )
    }
}

/// A test Alertmanager could not be started.
public struct AlertmanagerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
