import Foundation

/// The built `cim-monitor` binary run as a child process, for acceptance tests of `serve`.
///
/// Each `start()` picks a fresh free loopback port for `--listen` (so a restart never waits for the old socket);
/// stdout and stderr of every run are appended to files in a temporary directory, so a test can check that
/// a normal run writes nothing. `kill()` is a crash (SIGKILL); `terminate()` a graceful stop (SIGTERM).
public final class MonitorProcess: @unchecked Sendable {
    // @unchecked: the process handle is only touched from the test that owns it, one call at a time.
    public let arguments: [String]
    public let directory: URL
    public private(set) var port = 0
    public private(set) var launches = 0
    private var process: Process?

    /// - Parameter arguments: everything after `cim-monitor` but `--listen`, e.g. `["serve", "--server", url, …]`.
    public init(arguments: [String]) throws {
        self.arguments = arguments
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cim-monitor-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["stdout", "stderr"] {
            _ = FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: nil)
        }
    }

    /// Starts the binary with `--listen 127.0.0.1:<fresh port>`; does not wait for it to serve.
    public func start() throws {
        precondition(process?.isRunning != true, "the monitor is already running")
        port = FreePort.next()
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = arguments + ["--listen", "127.0.0.1:\(port)"]
        process.environment = Self.environment()
        process.standardOutput = try appendingHandle("stdout")
        process.standardError = try appendingHandle("stderr")
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        launches += 1
    }

    /// Waits until `/healthz` answers 200.
    public func waitUntilServing(timeout: Double = 15) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let reply = try? await httpGet(port: port, path: "/healthz", timeout: 1), reply.status == 200 { return }
            guard isRunning else { throw MonitorProcessError(message: "cim-monitor exited early:\n\(stderr.suffix(2000))") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw MonitorProcessError(message: "cim-monitor does not serve /healthz on port \(port) after \(timeout)s:\n\(stderr.suffix(2000))")
    }

    public var isRunning: Bool { process?.isRunning ?? false }

    /// A crash: SIGKILL, then waits for the process to be gone.
    public func kill() {
        guard let process, process.isRunning else { return }
        process.killAndWait()
        self.process = nil
    }

    /// A graceful stop: SIGTERM, then waits up to `timeout` seconds for the exit status (SIGKILL after that).
    /// - Returns: the exit status, or `nil` when it had to be killed or was not running.
    @discardableResult
    public func terminate(timeout: Double = 15) async -> Int32? {
        guard let process else { return nil }
        self.process = nil
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            process.killAndWait()
            return nil
        }
        process.waitUntilExit()
        return process.terminationReason == .exit ? process.terminationStatus : nil
    }

    /// Everything every run wrote to stdout so far.
    public var stdout: String { (try? String(contentsOf: directory.appendingPathComponent("stdout"), encoding: .utf8)) ?? "" }
    /// Everything every run wrote to stderr so far.
    public var stderr: String { (try? String(contentsOf: directory.appendingPathComponent("stderr"), encoding: .utf8)) ?? "" }

    /// Kills the process if it runs and removes the temporary directory.
    public func shutdown() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        process?.killAndWait()
        try? FileManager.default.removeItem(at: directory)
    }

    private func appendingHandle(_ name: String) throws -> FileHandle {
        let handle = try FileHandle(forWritingTo: directory.appendingPathComponent(name))
        handle.seekToEndOfFile()
        return handle
    }

    /// Runs `cim-monitor` with `arguments` to completion (killed after `timeout` seconds).
    /// - Returns: the exit status (`nil` when it had to be killed), stdout and stderr.
    public static func run(_ arguments: [String], timeout: Double = 20) async throws -> (status: Int32?, stdout: String, stderr: String) {
        let run = try await ProgramRun.run(try binary(), arguments, environment: environment(), timeout: timeout)
        return (run.exited && !run.timedOut ? run.status : nil, String(decoding: run.output, as: UTF8.self), run.error)
    }

    /// The environment of the test without the variables `serve` reads, so only the arguments configure it.
    public static func environment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        // The stub NVML's one-test switches, set in this process by NVMLSourceTests, never reach a child.
        for name in ["NATS_URL", "METRICS_PORT", "EVENT_SUBJECTS", "CIM_TEST_NVML_INIT_FAIL", "CIM_TEST_NVML_MEMORY_V1_ONLY"] {
            environment[name] = nil
        }
        return environment
    }

    /// `$CIM_MONITOR_BIN`, else `cim-monitor` next to the test bundle (the same build products directory), else
    /// `.build/debug/cim-monitor` of this package.
    public static func binary(filePath: String = #filePath) throws -> URL {
        if let path = ProcessInfo.processInfo.environment["CIM_MONITOR_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var directories = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        let package = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        directories.append(package.appendingPathComponent(".build/debug"))
        for directory in directories {
            let candidate = directory.appendingPathComponent("cim-monitor")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
        }
        throw MonitorProcessError(
            message: "the cim-monitor binary was not found next to the tests: build it (swift build --build-tests) or set CIM_MONITOR_BIN"
        )
    }
}

/// A monitor process misbehaved.
public struct MonitorProcessError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
