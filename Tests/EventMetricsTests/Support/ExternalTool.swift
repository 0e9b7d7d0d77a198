import Foundation
import NATSTestSupport
import Testing

/// Runs a command-line tool found on PATH through `/usr/bin/env`, for checks with the real Prometheus tools.
enum ExternalTool {
    /// Runs `/usr/bin/env arguments…` with `stdinFile` as standard input (or none) and waits for it.
    static func run(_ arguments: [String], stdinFile: URL? = nil) async throws -> ProgramRun {
        try await ProgramRun.run(URL(fileURLWithPath: "/usr/bin/env"), arguments, stdin: stdinFile, timeout: 60)
    }

    /// A new empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("event-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Records a clear failure when the tool is not installed (`env` exits 127), so a missing tool never passes.
    static func requireInstalled(_ result: ProgramRun, _ tool: String, install: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let message = result.missingTool(tool, install: install) else { return true }
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        return false
    }
}
