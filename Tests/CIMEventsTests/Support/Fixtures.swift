import Foundation

/// Locates files in `Tests/Fixtures`, relative to this source file (symlinks resolved, so the
/// development package that links `Tests/CIMEventsTests` finds them too).
enum Fixtures {
    static func url(_ name: String, filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath)
            .resolvingSymlinksInPath()
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // CIMEventsTests
            .deletingLastPathComponent()  // Tests
            .appendingPathComponent("Fixtures")
            .appendingPathComponent(name)
    }
}
