import Foundation

/// A server that a test runs as a child process (Prometheus, Alertmanager): a free loopback port, a temporary
/// directory with a `data` folder for its storage and a log of its output, started and awaited until `/-/ready`
/// answers 200, stopped with SIGTERM, killed if the test forgets.
final class ReadyServerProcess: @unchecked Sendable {
    // @unchecked: the process handle is only touched from the test that owns it, one call at a time.
    let name: String
    let port: Int
    let directory: URL
    private var process: Process?

    init(name: String) throws {
        self.name = name
        port = FreePort.next()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
    }

    /// `directory/<file>`.
    func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

    /// The output so far, for failure messages.
    var log: String { (try? String(contentsOf: directory.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? "" }

    /// Runs `binary` with `arguments` and waits until `/-/ready` on the port answers 200; whether it did within
    /// `timeout` seconds (false as soon as the process exits).
    func start(_ binary: URL, arguments: [String], timeout: Double) async throws -> Bool {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let log = directory.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let reply = try? await httpGet(port: port, path: "/-/ready", timeout: 1), reply.status == 200 { return true }
            guard process.isRunning else { return false }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Stops the server and removes its directory.
    func shutdown() {
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
}
