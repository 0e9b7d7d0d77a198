import Foundation

/// One run of a program to completion, its output captured through files (a pipe that nobody drains would stall it).
public struct ProgramRun: Sendable {
    /// The exit status, or the signal's number when a signal ended it (`exited` is false then).
    public var status: Int32
    public var exited: Bool
    /// It was still running at the deadline and was killed (SIGKILL).
    public var timedOut: Bool
    public var output: [UInt8]
    public var error: String

    public var outputText: String { String(decoding: output, as: UTF8.self) }

    /// For a tool run through `/usr/bin/env`: why it could not run when `env` did not find it (exit 127), saying how
    /// to install it; `nil` when it ran.
    public func missingTool(_ tool: String, install: String) -> String? {
        guard exited && status == 127 else { return nil }
        return "\(tool) is not on PATH (\(error.trimmingCharacters(in: .whitespacesAndNewlines))); \(install)"
    }

    /// An error that says what went wrong with a run and what to do.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Runs a tool from `PATH` (through `/usr/bin/env`); a missing tool, or one still running after `timeout`
    /// seconds, is an error that says so (and how to install it), so a check with it never passes unrun.
    public static func tool(_ arguments: [String], stdin: URL? = nil, install: String, timeout: Double = 60) async throws -> ProgramRun {
        let result = try await run(URL(fileURLWithPath: "/usr/bin/env"), arguments, stdin: stdin, timeout: timeout)
        if let missing = result.missingTool(arguments[0], install: install) { throw Failure(missing) }
        if result.timedOut { throw Failure("\(arguments.joined(separator: " ")) did not finish within \(timeout)s") }
        return result
    }

    /// Runs `executable arguments…` with `stdin` as standard input (or none) and waits at most `timeout` seconds.
    /// `environment` replaces the test's environment when given.
    public static func run(
        _ executable: URL,
        _ arguments: [String],
        stdin: URL? = nil,
        environment: [String: String]? = nil,
        timeout: Double
    ) async throws -> ProgramRun {
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
        if let environment { process.environment = environment }
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(timeout)
        while process.isRunning && clock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let timedOut = process.isRunning
        process.killAndWait()
        process.waitUntilExit()
        return ProgramRun(
            status: process.terminationStatus,
            exited: process.terminationReason == .exit,
            timedOut: timedOut,
            output: Array((try? Data(contentsOf: outURL)) ?? Data()),
            error: (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        )
    }
}
