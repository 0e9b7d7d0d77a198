import CommandSupport
import Foundation
import NATSHealth

#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on stderr, only when stderr is a terminal (and, for commands writing data to stdout,
/// only when stdout is not that terminal): count, rate, ETA. Redrawn at most ten times a second.
final class TerminalProgress {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    let enabled: Bool
    private var drawn = false

    init(dataOnStdout: Bool = false) {
        start = clock.now
        lastDraw = start
        enabled = isatty(STDERR_FILENO) == 1 && !(dataOnStdout && isatty(STDOUT_FILENO) == 1)
    }

    /// Draws `label`, `done` of `total` (units named `unit`), the rate and the time left.
    func update(_ label: String, done: Double, total: Double, unit: String, bytes: Bool = false) {
        guard enabled else { return }
        let now = clock.now
        guard now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        drawn = true
        let elapsed = max((now - start).seconds, 0.001)
        let rate = done / elapsed
        let fraction = total > 0 ? min(done / total, 1) : 1
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let eta = rate > 0 && total > done ? formatSeconds((total - done) / rate) : "-"
        let amount = bytes ? "\(formatBytes(UInt64(done)))/\(formatBytes(UInt64(total)))" : "\(UInt64(done))/\(UInt64(total)) \(unit)"
        let speed = bytes ? "\(formatBytes(UInt64(rate)))/s" : "\(formatRate(rate)) \(unit)/s"
        writeOutput(Array("\r\(label) [\(bar)] \(amount) \(speed) ETA \(eta)   ".utf8), to: STDERR_FILENO)
    }

    /// Ends the line when a bar was drawn.
    func finish() {
        guard enabled, drawn else { return }
        writeOutput(Array("\n".utf8), to: STDERR_FILENO)
    }
}
