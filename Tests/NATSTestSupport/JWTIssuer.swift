import Foundation
import NATSCore

/// A NATS operator with a system account and one application account, issuing user credentials for tests that run
/// `nats-server` in operator (JWT) mode.
///
/// ```swift
/// let issuer = JWTIssuer()
/// let config = issuer.serverConfig(jetStreamStoreDirectory: storeDirectory)  // for nats-server -c
/// let credentials = issuer.issueUser(name: "monitor")                       // for the client
/// try credentials.credsFileContents.write(toFile: path, atomically: true, encoding: .utf8)
/// ```
public struct JWTIssuer: Sendable {
    /// An account: its key pair and the JWT the operator signed for it.
    public struct Account: Sendable {
        /// The account's name in its JWT.
        public let name: String
        /// The account's key pair; signs its users' JWTs.
        public let keyPair: NKeyPair
        /// The account JWT, signed by the operator.
        public let jwt: String

        /// The account's public key (`A…`).
        public var publicKey: String { keyPair.publicKey }
    }

    /// The operator's key pair; signs the account JWTs.
    public let operatorKeyPair: NKeyPair
    /// The self-signed operator JWT, naming ``systemAccount`` as its system account.
    public let operatorJWT: String
    /// The system account (`SYS`), without JetStream.
    public let systemAccount: Account
    /// The application account, with unlimited JetStream.
    public let account: Account

    /// Creates fresh operator, system account and application account keys and JWTs.
    public init(operatorName: String = "CIM-TEST", accountName: String = "CIM", issuedAt: Int = Self.now()) {
        let operatorKeyPair = NKeyPair.generate(.operator)
        let systemKeyPair = NKeyPair.generate(.account)
        self.operatorKeyPair = operatorKeyPair
        self.systemAccount = Self.account(name: "SYS", keyPair: systemKeyPair, jetStream: false, issuedAt: issuedAt, signer: operatorKeyPair)
        self.account = Self.account(
            name: accountName,
            keyPair: NKeyPair.generate(.account),
            jetStream: true,
            issuedAt: issuedAt,
            signer: operatorKeyPair
        )
        self.operatorJWT = NATSJWT.encode(
            subject: operatorKeyPair.publicKey,
            name: operatorName,
            issuedAt: issuedAt,
            type: "operator",
            nats: [("system_account", .string(systemKeyPair.publicKey))],
            signer: operatorKeyPair
        )
    }

    /// Issues credentials for a new user of `account` (the application account when `nil`) with no limits.
    public func issueUser(name: String = "tester", in account: Account? = nil, issuedAt: Int = Self.now()) -> Credentials {
        let account = account ?? self.account
        let userKeyPair = NKeyPair.generate(.user)
        let jwt = NATSJWT.encode(
            subject: userKeyPair.publicKey,
            name: name,
            issuedAt: issuedAt,
            type: "user",
            nats: [
                ("pub", .object([])), ("sub", .object([])),
                ("subs", .int(-1)), ("data", .int(-1)), ("payload", .int(-1)),
            ],
            signer: account.keyPair
        )
        do {
            return try Credentials(jwt: jwt, seed: userKeyPair.seed)
        } catch {
            preconditionFailure("a freshly generated user seed did not decode: \(error)")
        }
    }

    /// The nats-server configuration for operator mode: trust the operator, preload both accounts into a memory
    /// resolver, and, given a store directory, enable JetStream.
    ///
    /// Listen address, port and other settings are left to the caller's configuration.
    public func serverConfig(jetStreamStoreDirectory: String? = nil) -> String {
        var lines = [
            "operator: \"\(operatorJWT)\"",
            "system_account: \"\(systemAccount.publicKey)\"",
            "resolver: MEMORY",
            "resolver_preload: {",
            "  \"\(systemAccount.publicKey)\": \"\(systemAccount.jwt)\"",
            "  \"\(account.publicKey)\": \"\(account.jwt)\"",
            "}",
        ]
        if let jetStreamStoreDirectory {
            lines.append("jetstream: { store_dir: \"\(jetStreamStoreDirectory)\" }")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The current Unix time in seconds, for `iat`.
    public static func now() -> Int {
        Int(Date().timeIntervalSince1970)
    }

    private static func account(name: String, keyPair: NKeyPair, jetStream: Bool, issuedAt: Int, signer: NKeyPair) -> Account {
        let unlimited: [(String, OrderedJSON)] = [
            ("subs", .int(-1)), ("data", .int(-1)), ("payload", .int(-1)),
            ("imports", .int(-1)), ("exports", .int(-1)), ("wildcards", .bool(true)), ("conn", .int(-1)), ("leaf", .int(-1)),
        ]
        let jetStreamLimits: [(String, OrderedJSON)] = [
            ("mem_storage", .int(-1)), ("disk_storage", .int(-1)), ("streams", .int(-1)), ("consumer", .int(-1)),
        ]
        let jwt = NATSJWT.encode(
            subject: keyPair.publicKey,
            name: name,
            issuedAt: issuedAt,
            type: "account",
            nats: [
                ("limits", .object(unlimited + (jetStream ? jetStreamLimits : []))),
                ("default_permissions", .object([("pub", .object([])), ("sub", .object([]))])),
                ("authorization", .object([])),
            ],
            signer: signer
        )
        return Account(name: name, keyPair: keyPair, jwt: jwt)
    }
}
