/// The text encodings of NKEY public keys and seeds.
///
/// A public key is base32 of `[prefix][32-byte ed25519 public key][CRC-16 little-endian]` (56 characters). A seed is
/// base32 of `[0x90 | prefix >> 5][(prefix & 31) << 3][32-byte ed25519 seed][CRC-16 little-endian]` (58 characters),
/// which makes it read `S` followed by the type letter. Errors never quote the text they were given.
enum NKeyCodec {
    /// Length of an ed25519 public key and of an ed25519 seed.
    static let keyLength = 32
    /// The top five bits of a seed's first byte (`18 << 3`, base32 `S`).
    private static let seedPrefix: UInt8 = 18 << 3

    /// The public-key text for a raw 32-byte ed25519 public key.
    static func encodePublicKey(_ key: some Collection<UInt8>, type: NKeyType) -> String {
        precondition(key.count == keyLength, "an ed25519 public key has 32 bytes")
        return encodeChecked([type.prefixByte] + key)
    }

    /// The seed text for a raw 32-byte ed25519 seed.
    static func encodeSeed(_ rawSeed: some Collection<UInt8>, type: NKeyType) -> String {
        precondition(rawSeed.count == keyLength, "an ed25519 seed has 32 bytes")
        let prefix = type.prefixByte
        return encodeChecked([seedPrefix | (prefix >> 5), (prefix & 31) << 3] + rawSeed)
    }

    /// Decodes seed text into its key type and raw 32-byte ed25519 seed.
    static func decodeSeed(_ text: some StringProtocol) throws(NATSAuthError) -> (type: NKeyType, rawSeed: [UInt8]) {
        let payload = try decodeChecked(text, payloadLength: 2 + keyLength, code: .invalidSeed)
        guard payload[0] & 0xF8 == seedPrefix else {
            throw NATSAuthError(.invalidSeed, "the prefix is not a seed's (a seed starts with 'S')")
        }
        let prefix = (payload[0] & 0x07) << 5 | (payload[1] & 0xF8) >> 3
        guard let type = NKeyType(prefixByte: prefix) else {
            throw NATSAuthError(.invalidSeed, "the seed's key type prefix is unknown")
        }
        return (type, Array(payload[2...]))
    }

    /// Decodes public-key text into its key type and raw 32-byte ed25519 public key.
    static func decodePublicKey(_ text: some StringProtocol) throws(NATSAuthError) -> (type: NKeyType, key: [UInt8]) {
        let payload = try decodeChecked(text, payloadLength: 1 + keyLength, code: .invalidPublicKey)
        guard let type = NKeyType(prefixByte: payload[0]) else {
            throw NATSAuthError(.invalidPublicKey, "the public key's type prefix is unknown")
        }
        return (type, Array(payload[1...]))
    }

    private static func encodeChecked(_ payload: [UInt8]) -> String {
        let crc = CRC16.xmodem(payload)
        return Base32.encode(payload + [UInt8(truncatingIfNeeded: crc), UInt8(truncatingIfNeeded: crc >> 8)])
    }

    /// Decodes base32, checks the length and the trailing checksum, and returns the bytes before the checksum.
    private static func decodeChecked(
        _ text: some StringProtocol,
        payloadLength: Int,
        code: NATSAuthError.Code
    ) throws(NATSAuthError) -> [UInt8] {
        guard let raw = Base32.decode(text) else {
            throw NATSAuthError(code, "not base32 text (upper-case A-Z and 2-7, no padding)")
        }
        guard raw.count == payloadLength + 2 else {
            throw NATSAuthError(code, "wrong length: \(raw.count) bytes decoded, expected \(payloadLength + 2)")
        }
        let payload = Array(raw[..<payloadLength])
        let stored = UInt16(raw[payloadLength]) | UInt16(raw[payloadLength + 1]) << 8
        guard CRC16.xmodem(payload) == stored else {
            throw NATSAuthError(code, "checksum mismatch")
        }
        return payload
    }
}
