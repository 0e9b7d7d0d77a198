import NATSCore

/// Writes NATS JWT v2 tokens the way the Go `nats-io/jwt` library does.
///
/// A token is `base64url(header) "." base64url(claims) "." base64url(ed25519 signature of the first two parts)`, all
/// without padding. The claims carry `jti`, `iat`, `iss` (the signer's public key), `name`, `sub` and a `nats` object
/// whose `type` is `operator`, `account` or `user` and whose `version` is 2.
package enum NATSJWT {
    /// The JOSE header: `{"typ":"JWT","alg":"ed25519-nkey"}`.
    package static let header = OrderedJSON.object([("typ", .string("JWT")), ("alg", .string("ed25519-nkey"))])

    /// Signs claims about `subject` with `signer`.
    ///
    /// `nats` holds the type-specific claims without `type` and `version`; those two are appended.
    package static func encode(
        subject: String,
        name: String,
        issuedAt: Int,
        type: String,
        nats: [(String, OrderedJSON)],
        signer: NKeyPair
    ) -> String {
        let standard = standardClaims(subject: subject, name: name, issuedAt: issuedAt, issuer: signer.publicKey)
        let claims = OrderedJSON.object(
            [("jti", .string(jti(ofStandardClaims: standard)))] + standard
                + [("nats", .object(nats + [("type", .string(type)), ("version", .int(2))]))]
        )
        let signed = Base64URL.encode(Array(header.text.utf8)) + "." + Base64URL.encode(Array(claims.text.utf8))
        return signed + "." + Base64URL.encode(signer.sign(signed.utf8))
    }

    /// `iat`, `iss`, `name`, `sub` in the Go struct's order (empty `name` left out, as `omitempty` does).
    package static func standardClaims(subject: String, name: String, issuedAt: Int, issuer: String) -> [(String, OrderedJSON)] {
        [("iat", .int(issuedAt)), ("iss", .string(issuer))] + (name.isEmpty ? [] : [("name", .string(name))])
            + [("sub", .string(subject))]
    }

    /// The `jti`: base32 without padding of SHA-512/256 of the standard claims as compact JSON (without `jti`).
    package static func jti(ofStandardClaims standard: [(String, OrderedJSON)]) -> String {
        Base32.encode(SHA512_256.hash(Array(OrderedJSON.object(standard).text.utf8)))
    }
}
