import Foundation

/// A real `nats-server` process on a free loopback port, with its own temporary store directory.
///
/// The binary is `$NATS_SERVER_BIN` or `nats-server` on `PATH` (`scripts/test` installs it). `stop()` and
/// `start()` keep port and store, so a test can restart the server under a connected client.
public final class NATSServer: @unchecked Sendable {
    // @unchecked: the process handle is only touched from the test that owns the server, one call at a time.
    public let port: Int
    public let clusterPort: Int?
    public let monitorPort: Int
    public let directory: URL
    private let configuration: String
    private var process: Process?

    /// The `server_name` in the configuration: `test_<port>`.
    public var name: String { "test_\(port)" }

    /// Whether the process runs now.
    public var isRunning: Bool { process?.isRunning ?? false }

    /// `http://127.0.0.1:<monitorPort>`, the base URL of the HTTP monitoring endpoints.
    public var monitorURL: String { "http://127.0.0.1:\(monitorPort)" }

    /// - Parameters:
    ///   - jetStream: enable JetStream with a file store in the temporary directory.
    ///   - extraConfiguration: more configuration text (authorization, TLS, accounts…).
    ///   - cluster: a name and the cluster ports of the peers to route to, for clustered tests.
    public init(
        jetStream: Bool = true,
        extraConfiguration: String = "",
        cluster: (name: String, port: Int, routes: [Int])? = nil
    ) throws {
        port = FreePort.next()
        monitorPort = FreePort.next()
        clusterPort = cluster?.port
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nats-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lines = ["listen: 127.0.0.1:\(port)", "http: 127.0.0.1:\(monitorPort)", "server_name: test_\(port)"]
        if jetStream {
            lines.append("jetstream: { store_dir: \"\(directory.appendingPathComponent("js").path)\" }")
        }
        if let cluster {
            let routes = cluster.routes.map { "nats-route://127.0.0.1:\($0)" }.map { "\"\($0)\"" }.joined(separator: ", ")
            lines.append("cluster: { name: \(cluster.name), listen: 127.0.0.1:\(cluster.port), routes: [\(routes)] }")
        }
        lines.append(extraConfiguration)
        configuration = lines.joined(separator: "\n")
        try configuration.write(to: directory.appendingPathComponent("server.conf"), atomically: true, encoding: .utf8)
    }

    /// `nats://127.0.0.1:<port>`
    public var url: String { "nats://127.0.0.1:\(port)" }

    /// Starts the process and waits until it accepts connections.
    public func start() throws {
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = ["-c", directory.appendingPathComponent("server.conf").path]
        let log = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.accepts(port: port) { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw NATSServerError(message: "nats-server did not start on port \(port):\n\(text.suffix(2000))")
    }

    /// Stops the process (SIGTERM, then waits).
    public func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// Stops the process abruptly (SIGKILL), as a crash would.
    public func kill() {
        guard let process, process.isRunning else { return }
        process.killAndWait()
        self.process = nil
    }

    /// Stops the server and removes its directory.
    public func shutdown() {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        if let process, process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The server's log so far, for failure messages.
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    static func binary() throws -> URL {
        if let found = Executable.find("nats-server", override: "NATS_SERVER_BIN") { return found }
        throw NATSServerError(message: "nats-server not found: run scripts/test (it installs nats-server-bin) or set NATS_SERVER_BIN")
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return Loopback.connect(fd, port: port)
    }
}

/// A test server could not be started.
public struct NATSServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A cluster of `size` servers on loopback, fully routed.
public func makeCluster(size: Int, jetStream: Bool = false) throws -> [NATSServer] {
    let clusterPorts = (0..<size).map { _ in FreePort.next() }
    let servers = try clusterPorts.map { port in
        try NATSServer(jetStream: jetStream, cluster: (name: "test", port: port, routes: clusterPorts.filter { $0 != port }))
    }
    for server in servers { try server.start() }
    return servers
}
