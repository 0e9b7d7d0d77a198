import NATSCore

/// nats-server configuration for nkey authentication: users identified by their public keys, no passwords.
public enum NKeyServerConfig {
    /// An `authorization` block admitting the users whose public keys (`U…`) are given, in the global account.
    ///
    /// JetStream in the global account is enabled by the caller's `jetstream` block, as without authentication.
    public static func authorization(users publicKeys: [String]) -> String {
        let users = publicKeys.map { "    { nkey: \"\($0)\" }" }.joined(separator: "\n")
        return "authorization: {\n  users: [\n\(users)\n  ]\n}\n"
    }
}
