import Foundation

/// A real Alertmanager (Debian's `prometheus-alertmanager`) on a free loopback port, with the given configuration
/// and its storage in a temporary directory, clustering off.
///
/// The binary is `$ALERTMANAGER_BIN`, else `alertmanager`, else `prometheus-alertmanager` on `PATH` (`scripts/test`
/// installs the Debian package).
public final class AlertmanagerProcess: @unchecked Sendable {
    // @unchecked: the process handle is only touched from the test that owns it, one call at a time.
    public let port: Int
    public let directory: URL
    private var process: Process?

    public init(configuration: String) throws {
        port = FreePort.next()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertmanager-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        try configuration.write(to: directory.appendingPathComponent("alertmanager.yml"), atomically: true, encoding: .utf8)
    }

    /// Starts Alertmanager and waits until `/-/ready` answers 200.
    public func start(timeout: Double = 30) async throws {
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = [
            "--config.file=\(directory.appendingPathComponent("alertmanager.yml").path)",
            "--storage.path=\(directory.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)",
            "--cluster.listen-address=",
        ]
        let log = directory.appendingPathComponent("alertmanager.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let reply = try? await httpGet(port: port, path: "/-/ready", timeout: 1), reply.status == 200 { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw AlertmanagerError(message: "alertmanager did not become ready on port \(port):\n\(self.log.suffix(3000))")
    }

    /// Alertmanager's log so far, for failure messages.
    public var log: String { (try? String(contentsOf: directory.appendingPathComponent("alertmanager.log"), encoding: .utf8)) ?? "" }

    /// Stops Alertmanager and removes its directory.
    public func shutdown() {
        if let process, process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        process = nil
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        process?.killAndWait()
        try? FileManager.default.removeItem(at: directory)
    }

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
