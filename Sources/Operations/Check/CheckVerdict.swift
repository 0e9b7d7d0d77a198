/// The verdicts, pure: figures in, status out.
public enum CheckVerdict {
    /// An age against (warn, critical) thresholds.
    public static func age(_ age: Double, _ limits: (warn: Double, critical: Double)) -> CheckStatus {
        age > limits.critical ? .critical : age > limits.warn ? .warn : .ok
    }

    /// A ratio against (warn, critical) thresholds.
    public static func ratio(_ ratio: Double, _ limits: (warn: Double, critical: Double)) -> CheckStatus {
        ratio >= limits.critical ? .critical : ratio >= limits.warn ? .warn : .ok
    }

    /// Servers up of those expected: all up is ok; a minority down is warn (the cluster still has a JetStream
    /// quorum); a majority down (no quorum) is critical.
    public static func cluster(up: Int, expected: Int) -> CheckStatus {
        guard expected > 0, up < expected else { return .ok }
        return up * 2 > expected ? .warn : .critical
    }

    /// A durable consumer: pending against thresholds; pending but inactive for too long is stalled (critical).
    public static func consumer(pending: UInt64, inactiveFor: Double?, _ thresholds: CheckThresholds) -> CheckStatus {
        if pending > 0, let inactiveFor, inactiveFor > thresholds.consumerStalled { return .critical }
        return pending >= thresholds.consumerPending.critical ? .critical : pending >= thresholds.consumerPending.warn ? .warn : .ok
    }

    /// The worst of several results (ok for none).
    public static func worst(_ results: [CheckResult]) -> CheckStatus { results.map(\.status).max() ?? .ok }
}

/// A duration as people read it: `42s`, `5m10s`, `3h2m`, `2d4h`.
public func formatAge(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds < 1e15 else { return "?" }
    let s = Int(max(seconds, 0).rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m\(s % 60)s" }
    if s < 86_400 { return "\(s / 3600)h\(s % 3600 / 60)m" }
    return "\(s / 86_400)d\(s % 86_400 / 3600)h"
}
