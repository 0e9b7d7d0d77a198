/// How one check came out; ordered, so the worst of several is their maximum.
public enum CheckStatus: String, Sendable, Comparable, Codable, CaseIterable {
    case ok, warn, critical

    /// The exit status of `check`: 0, 1 or 2.
    public var exitCode: Int32 {
        switch self {
        case .ok: 0
        case .warn: 1
        case .critical: 2
        }
    }

    public static func < (lhs: CheckStatus, rhs: CheckStatus) -> Bool { lhs.exitCode < rhs.exitCode }
}

/// One line of `check`: what was checked, how it came out, the figure behind it, and what to do when it is not ok.
public struct CheckResult: Sendable, Equatable, Codable {
    public var check: String
    public var status: CheckStatus
    public var figure: String
    /// What to do (a command or a runbook section); empty when ok.
    public var action: String

    public init(_ check: String, _ status: CheckStatus, _ figure: String, action: String = "") {
        self.check = check
        self.status = status
        self.figure = figure
        self.action = status == .ok ? "" : action
    }

    /// `ok       nats          connected …` and, when not ok, ` — <action>`.
    public var line: String {
        let name = check.count < 24 ? check + String(repeating: " ", count: 24 - check.count) : check
        let status = self.status.rawValue + String(repeating: " ", count: 9 - self.status.rawValue.count)
        return status + name + " " + figure + (action.isEmpty ? "" : " — " + action)
    }
}

/// The thresholds of `check` (flags, or the `check:` section of the configuration file).
public struct CheckThresholds: Sendable, Equatable {
    /// Age of a stream's last message: warn, critical (seconds).
    public var streamAge: (warn: Double, critical: Double) = (300, 1800)
    /// Share of JetStream storage in use: warn, critical.
    public var storage: (warn: Double, critical: Double) = (0.8, 0.9)
    /// Messages a durable consumer has not received yet: warn, critical.
    public var consumerPending: (warn: UInt64, critical: UInt64) = (10_000, 100_000)
    /// Seconds since a consumer with pending messages was last active: stalled (critical).
    public var consumerStalled: Double = 300
    /// Age of a monitor instance's last snapshot: warn, critical (seconds).
    public var snapshotAge: (warn: Double, critical: Double) = (120, 600)
    /// Age of a GPU agent's last `sampled` event: warn, critical (seconds).
    public var gpuAge: (warn: Double, critical: Double) = (60, 300)
    /// Servers the cluster should have; 0: what the servers report.
    public var expectedServers = 0

    public init() {}

    public static func == (lhs: CheckThresholds, rhs: CheckThresholds) -> Bool {
        lhs.streamAge == rhs.streamAge && lhs.storage == rhs.storage && lhs.consumerPending == rhs.consumerPending
            && lhs.consumerStalled == rhs.consumerStalled && lhs.snapshotAge == rhs.snapshotAge && lhs.gpuAge == rhs.gpuAge
            && lhs.expectedServers == rhs.expectedServers
    }
}

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
    guard seconds.isFinite else { return "?" }
    let s = Int(max(seconds, 0).rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m\(s % 60)s" }
    if s < 86_400 { return "\(s / 3600)h\(s % 3600 / 60)m" }
    return "\(s / 86_400)d\(s % 86_400 / 3600)h"
}
