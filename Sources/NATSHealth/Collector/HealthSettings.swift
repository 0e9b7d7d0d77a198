import Foundation
import NATS

/// How the health collector polls: its sources, interval and thresholds.
public struct HealthSettings: Sendable, Equatable {
    /// System-account credentials for the `$SYS` source; what they hold is never printed.
    public enum SystemCredentials: Sendable, Equatable, CustomStringConvertible {
        case userPassword(user: String, password: String)
        /// A `.creds` file (user JWT and NKEY seed).
        case credsFile(String)
        /// A file holding an NKEY seed.
        case nkeyFile(String)

        public var description: String {
            switch self {
            case .userPassword(let user, _): return "user \(user) with a password"
            case .credsFile(let path): return "creds file \(path)"
            case .nkeyFile(let path): return "nkey file \(path)"
            }
        }
    }

    public static let defaultInterval = 15.0

    /// `--nats-monitor` base URLs (`http://host:8222`).
    public var monitorURLs: [String] = []
    public var systemCredentials: SystemCredentials?
    /// Seconds between polls.
    public var interval = defaultInterval
    /// The expected cluster size; `nil`: the largest number of servers seen.
    public var expectedServers: Int?
    /// Polls with the ack floor unmoved (and messages unacknowledged) before a consumer counts as stalled.
    public var stallPolls = 3

    public init() {}

    /// Whether any source is configured (otherwise `serve` runs no collector).
    public var isEnabled: Bool { !monitorURLs.isEmpty || systemCredentials != nil }

    /// The longest a poll may take: the interval, at least 2 s (a large cluster's `/jsz` is many megabytes), at most 10 s.
    public var timeout: Double { min(10, max(2, interval)) }
}

extension HealthSettings.SystemCredentials {
    /// The client authentication; reads the creds or nkey file. The error names the file, never its contents.
    public func auth() throws(HealthConfigurationError) -> NATSAuth {
        switch self {
        case .userPassword(let user, let password):
            return .userPassword(user: user, password: password)
        case .credsFile(let path):
            return .credentials(try Self.read(path, what: "system account creds"))
        case .nkeyFile(let path):
            let seed = try Self.read(path, what: "system account nkey").filter { !$0.isWhitespace }
            return .nkey(seed: seed)
        }
    }

    private static func read(_ path: String, what: String) throws(HealthConfigurationError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HealthConfigurationError("cannot read the \(what) file \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension HealthSettings {
    /// Client options for the `$SYS` connection: the servers and TLS of `base`, the system account's credentials.
    public func systemOptions(base: NATSOptions) throws(HealthConfigurationError) -> NATSOptions? {
        guard let systemCredentials else { return nil }
        var options = base
        options.auth = try systemCredentials.auth()
        options.name = (base.name ?? "cim-monitor") + " health"
        return options
    }
}
