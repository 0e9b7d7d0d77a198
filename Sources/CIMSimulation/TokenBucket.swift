/// A token bucket: `rate` tokens a second, at most `capacity` saved up. The clock is passed in.
public struct TokenBucket: Sendable {
    public var capacity: Double
    private var tokens: Double
    private var last: Double?

    /// A bucket that starts full.
    public init(capacity: Double) {
        precondition(capacity >= 1, "a bucket holds at least one token")
        self.capacity = capacity
        self.tokens = capacity
    }

    /// Takes one token at time `now` (seconds, non-decreasing) when the bucket has one and returns 0;
    /// otherwise takes nothing and returns the seconds until a token will be there at `rate`.
    public mutating func take(now: Double, rate: Double) -> Double {
        precondition(rate > 0, "the rate must be positive")
        if let last, now > last { tokens = min(capacity, tokens + (now - last) * rate) }
        last = max(last ?? now, now)
        // A hair of tolerance: refilling for exactly the returned wait can land a rounding error below 1.
        if tokens >= 1 - 1e-9 {
            tokens = max(0, tokens - 1)
            return 0
        }
        return (1 - tokens) / rate
    }
}
