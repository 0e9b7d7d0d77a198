import Foundation

/// Programs the tests start, found the way a shell would.
enum Executable {
    /// `$variable` when set, else the first executable `name` on `PATH`; `nil` when neither.
    static func find(_ name: String, override variable: String) -> URL? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment[variable], !path.isEmpty { return URL(fileURLWithPath: path) }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
