import Synchronization

/// The last time a transfer made progress, shared with the task that abandons a stalled one.
final class Watchdog: Sendable {
    private let last = Mutex(ContinuousClock.now)
    private let idleTimeout: Double

    init(idleTimeout: Double) {
        self.idleTimeout = idleTimeout
    }

    func touch() { last.withLock { $0 = .now } }

    func expired() -> Bool { last.withLock { (ContinuousClock.now - $0) > .seconds(idleTimeout) } }
}
