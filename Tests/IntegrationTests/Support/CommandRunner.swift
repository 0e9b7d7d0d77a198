import Foundation
import NATSTestSupport

/// Runs the built `cim-monitor` for the end-to-end tests, capturing its output as bytes. The variables `cim-monitor`
/// reads (`NATS_URL`…) are removed, so only the arguments configure it.
enum CommandRunner {
    /// The `cim-monitor` executable of this build (see `MonitorProcess.binary()`).
    static func cimMonitor() throws -> URL { try MonitorProcess.binary() }

    /// Runs `executable arguments…` with `stdin` as standard input and waits at most `timeout` seconds for it;
    /// past that it is killed and this throws.
    static func run(_ executable: URL, _ arguments: [String], stdin: URL? = nil, timeout: Double = 60) async throws -> ProgramRun {
        let run = try await ProgramRun.run(executable, arguments, stdin: stdin, environment: MonitorProcess.environment(), timeout: timeout)
        if run.timedOut {
            throw ProgramRun.Failure("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) did not finish within \(timeout)s")
        }
        return run
    }
}
