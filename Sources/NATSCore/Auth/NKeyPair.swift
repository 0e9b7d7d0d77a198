import Crypto

/// An NKEY: an ed25519 key pair with a NATS role, made from a seed (`SU…`, `SA…`, `SO…`).
///
/// Signs the server's connect nonce for nkey and JWT authentication. Printing or dumping a key pair shows its type
/// and public key only, never the seed.
public struct NKeyPair: Sendable {
    /// The role of the key.
    public let type: NKeyType
    /// The public key text (`U…`, `A…`, `O…`), safe to log and to send to the server.
    public let publicKey: String
    /// The raw 32-byte ed25519 seed.
    private let rawSeed: [UInt8]

    /// Creates a key pair from seed text.
    ///
    /// - Throws: ``NATSAuthError`` with code `invalidSeed` when the text is not base32, has the wrong length, a bad
    ///   checksum or a prefix that is not a seed's.
    public init(seed: String) throws(NATSAuthError) {
        let decoded = try NKeyCodec.decodeSeed(seed)
        self.init(type: decoded.type, rawSeed: decoded.rawSeed)
    }

    init(type: NKeyType, rawSeed: [UInt8]) {
        self.type = type
        self.rawSeed = rawSeed
        let publicKey = Self.signingKey(rawSeed).publicKey.rawRepresentation
        self.publicKey = NKeyCodec.encodePublicKey(Array(publicKey), type: type)
    }

    /// Creates a new random key pair of `type`.
    public static func generate(_ type: NKeyType) -> NKeyPair {
        NKeyPair(type: type, rawSeed: Array(Curve25519.Signing.PrivateKey().rawRepresentation))
    }

    /// The seed text (`SU…`, `SA…`, `SO…`). A secret: for tools and tests that write `.creds` files, never for logs.
    public var seed: String {
        NKeyCodec.encodeSeed(rawSeed, type: type)
    }

    /// The 64-byte ed25519 signature of `bytes`.
    public func sign(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        do {
            return Array(try Self.signingKey(rawSeed).signature(for: Array(bytes)))
        } catch {
            preconditionFailure("ed25519 signing with a valid 32-byte seed failed: \(error)")
        }
    }

    /// The CONNECT `sig` for the server's INFO `nonce`: the signature of the nonce's UTF-8 bytes, base64url, no padding.
    public func signNonce(_ nonce: String) -> String {
        Base64URL.encode(sign(nonce.utf8))
    }

    private static func signingKey(_ rawSeed: [UInt8]) -> Curve25519.Signing.PrivateKey {
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: rawSeed)
        } catch {
            preconditionFailure("an ed25519 seed of 32 bytes was rejected: \(error)")
        }
    }
}
