/// The role an NKEY plays, carried in the first byte of its encoded form.
///
/// The role shows as the first letter of a public key (`U…` for a user) and the second letter of a seed (`SU…`).
public enum NKeyType: Sendable, Hashable, CaseIterable {
    /// An operator key (`O…`, seed `SO…`): signs account JWTs.
    case `operator`
    /// An account key (`A…`, seed `SA…`): signs user JWTs.
    case account
    /// A user key (`U…`, seed `SU…`): signs the server's connect nonce.
    case user
    /// A server key (`N…`, seed `SN…`).
    case server
    /// A cluster key (`C…`, seed `SC…`).
    case cluster

    /// The prefix byte written before a public key of this type.
    var prefixByte: UInt8 {
        switch self {
        case .operator: 14 << 3
        case .account: 0
        case .user: 20 << 3
        case .server: 13 << 3
        case .cluster: 2 << 3
        }
    }

    /// The type whose prefix byte is `prefixByte`, or `nil` for any other byte (seed and private-key prefixes included).
    init?(prefixByte: UInt8) {
        guard let type = Self.allCases.first(where: { $0.prefixByte == prefixByte }) else { return nil }
        self = type
    }
}

extension NKeyType: CustomStringConvertible {
    /// The role in lower case, as nkeys tools print it: `operator`, `account`, `user`, `server`, `cluster`.
    public var description: String {
        switch self {
        case .operator: "operator"
        case .account: "account"
        case .user: "user"
        case .server: "server"
        case .cluster: "cluster"
        }
    }
}
