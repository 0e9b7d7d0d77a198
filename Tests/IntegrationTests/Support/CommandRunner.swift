import Foundation
import NATSTestSupport

/// Runs programs for the end-to-end tests, capturing their output as bytes: the built `cim-monitor`, and tools
/// found on `PATH`. The variables `cim-monitor` reads (`NATS_URL`…) are removed, so only the arguments configure it.
enum CommandRunner {
    /// The `cim-monitor` executable of this build (see `MonitorProcess.binary()`).
    static func cimMonitor() throws -> URL { try MonitorProcess.binary() }

    /// Runs `executable arguments…` with `stdin` as standard input and waits at most `timeout` seconds for it;
    /// past that it is killed and this throws.
    static func run(_ executable: URL, _ arguments: [String], stdin: URL? = nil, timeout: Double = 60) async throws -> ProgramRun {
        let run = try await ProgramRun.run(executable, arguments, stdin: stdin, environment: MonitorProcess.environment(), timeout: timeout)
        if run.timedOut {
            throw CommandError("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) did not finish within \(timeout)s")
        }
        return run
    }

    /// Runs a tool from `PATH` (through `/usr/bin/env`); a missing tool is an error that says how to install it.
    static func tool(_ arguments: [String], stdin: URL? = nil, install: String, timeout: Double = 60) async throws -> ProgramRun {
        let result = try await run(URL(fileURLWithPath: "/usr/bin/env"), arguments, stdin: stdin, timeout: timeout)
        if let missing = result.missingTool(arguments[0], install: install) { throw CommandError(missing) }
        return result
    }
}

struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
