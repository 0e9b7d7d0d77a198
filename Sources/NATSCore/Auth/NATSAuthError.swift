/// An error from decoding NKEYs or `.creds` files.
///
/// The message says what was wrong (bad checksum, unknown prefix, missing block) and never contains the seed, the
/// JWT or any other secret text it was given. Equality compares codes only.
public struct NATSAuthError: Error, Hashable, Sendable {
    /// What kind of failure happened.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case invalidSeed
            case invalidPublicKey
            case invalidCredentials
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A seed that is not valid base32, has a bad checksum, a wrong length or a prefix that is not a seed's.
        public static let invalidSeed = Code(.invalidSeed)
        /// A public key that is not valid base32, has a bad checksum, a wrong length or an unknown prefix.
        public static let invalidPublicKey = Code(.invalidPublicKey)
        /// A `.creds` file without a JWT block or without a seed.
        public static let invalidCredentials = Code(.invalidCredentials)

        /// The code's name.
        public var description: String {
            switch base {
            case .invalidSeed: "invalidSeed"
            case .invalidPublicKey: "invalidPublicKey"
            case .invalidCredentials: "invalidCredentials"
            }
        }
    }

    /// What kind of failure happened.
    public let code: Code
    /// What was wrong, free of secrets.
    public let message: String

    /// Creates an error; `message` must not contain secret material.
    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

extension NATSAuthError: CustomStringConvertible {
    /// `NATSAuthError(invalidSeed): checksum mismatch`.
    public var description: String {
        "NATSAuthError(\(code)): \(message)"
    }
}
