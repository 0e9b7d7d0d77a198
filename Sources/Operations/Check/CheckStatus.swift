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
