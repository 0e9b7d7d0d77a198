import Foundation
import NATSTestSupport

/// Runs programs for the end-to-end tests, capturing their output as bytes: the built `cim-monitor`, and tools
/// found on `PATH`. The variables `cim-monitor` reads (`NATS_URL`…) are removed, so only the arguments configure it.
enum CommandRunner {
    struct Result: Sendable {
        var status: Int32
        var output: [UInt8]
        var error: String
        var outputText: String { String(decoding: output, as: UTF8.self) }
    }

    /// The `cim-monitor` executable of this build (see `MonitorProcess.binary()`).
    static func cimMonitor() throws -> URL { try MonitorProcess.binary() }

    /// Runs `executable arguments…` with `stdin` as standard input and waits at most `timeout` seconds for it;
    /// past that the process is killed and the result says so.
    static func run(_ executable: URL, _ arguments: [String], stdin: URL? = nil, timeout: Double = 60) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cim-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for name in ["NATS_URL", "METRICS_PORT", "EVENT_SUBJECTS"] { environment[name] = nil }
        process.environment = environment
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(timeout)
        while process.isRunning && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw CommandError("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) did not finish within \(timeout)s")
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: Array((try? Data(contentsOf: outURL)) ?? Data()),
            error: (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        )
    }

    /// Runs a tool from `PATH` (through `/usr/bin/env`); a missing tool is an error that says how to install it.
    static func tool(_ arguments: [String], stdin: URL? = nil, install: String, timeout: Double = 60) async throws -> Result {
        let result = try await run(URL(fileURLWithPath: "/usr/bin/env"), arguments, stdin: stdin, timeout: timeout)
        if result.status == 127 {
            throw CommandError("\(arguments[0]) is not on PATH (\(result.error.trimmingCharacters(in: .whitespacesAndNewlines))); \(install)")
        }
        return result
    }
}

struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
