import Crypto

extension NKeyPair {
    /// Whether `signature` is this key's ed25519 signature of `bytes`.
    public func verify(_ signature: [UInt8], for bytes: some Sequence<UInt8>) -> Bool {
        Self.verify(signature, for: bytes, publicKey: publicKey)
    }

    /// Whether `signature` is the ed25519 signature of `bytes` by the key whose public key text is `publicKey`.
    ///
    /// Returns `false` when `publicKey` is not a valid public key.
    public static func verify(_ signature: [UInt8], for bytes: some Sequence<UInt8>, publicKey: String) -> Bool {
        guard
            let decoded = try? NKeyCodec.decodePublicKey(publicKey),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: decoded.key)
        else { return false }
        return key.isValidSignature(signature, for: Array(bytes))
    }

    /// Whether `text` is a valid public key, of `type` when one is given.
    public static func isValidPublicKey(_ text: String, type: NKeyType? = nil) -> Bool {
        guard let decoded = try? NKeyCodec.decodePublicKey(text) else { return false }
        return type.map { $0 == decoded.type } ?? true
    }
}
