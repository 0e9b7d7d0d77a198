import Foundation
import Testing

/// Runs a command-line tool found on PATH through `/usr/bin/env`, for checks with the real Prometheus tools.
enum ExternalTool {
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs `/usr/bin/env arguments…` with `stdinFile` as standard input (or none) and waits for it.
    static func run(_ arguments: [String], stdinFile: URL? = nil) throws -> Result {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = try stdinFile.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            error: (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        )
    }

    /// A new empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("event-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Records a clear failure when the tool is not installed (`env` exits 127), so a missing tool never passes.
    static func requireInstalled(_ result: Result, _ tool: String, install: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let message = missingToolMessage(result, tool, install: install) else { return true }
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        return false
    }

    /// Why the tool could not run, when `env` did not find it; `nil` when it ran.
    static func missingToolMessage(_ result: Result, _ tool: String, install: String) -> String? {
        guard result.status == 127 else { return nil }
        return "\(tool) is not on PATH (\(result.error.trimmingCharacters(in: .whitespacesAndNewlines))); \(install)"
    }
}
