/// Tells a stalled consumer from a live one by its activity count (messages and heartbeats received): stalled when
/// the count has not changed for `threshold`. Pure: the time of each look is an input.
public struct StallDetector<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public let threshold: Duration
    private var lastCount: Int?
    private var lastChange: Instant?
    public private(set) var isStalled = false

    public init(threshold: Duration) {
        self.threshold = threshold
    }

    /// A look at the activity count at `now`; returns whether the consumer is stalled.
    @discardableResult
    public mutating func observe(count: Int, at now: Instant) -> Bool {
        if count != lastCount || lastChange == nil {
            lastCount = count
            lastChange = now
            isStalled = false
        } else if let lastChange, lastChange.duration(to: now) >= threshold {
            isStalled = true
        }
        return isStalled
    }

    /// Starts over (the consumer was replaced, or there is nothing to consume): not stalled.
    public mutating func reset() {
        lastCount = nil
        lastChange = nil
        isStalled = false
    }
}

/// The stall detector on its own clock: looks at `activity` every `interval` and reports each result, until cancelled.
/// The stream worker runs it, so a stall is known when it happens, not only when someone asks `/readyz`.
public func watchForStalls<C: Clock>(
    clock: C,
    interval: Duration,
    threshold: Duration,
    activity: @Sendable () -> Int,
    report: @Sendable (Bool) -> Void
) async where C.Duration == Duration {
    var detector = StallDetector<C.Instant>(threshold: threshold)
    detector.observe(count: activity(), at: clock.now)
    report(false)
    while !Task.isCancelled {
        do {
            try await clock.sleep(for: interval)
        } catch {
            return
        }
        report(detector.observe(count: activity(), at: clock.now))
    }
}
