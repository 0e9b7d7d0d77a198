/// A user's JWT and NKEY seed, as read from a `.creds` file.
///
/// The file holds armoured blocks, each a line of at least three dashes with a title, the value on one line, and a
/// closing line of dashes (`-----BEGIN NATS USER JWT-----` … `------END NATS USER JWT------`). The first block is
/// the JWT, the second the seed; without a second block the first line starting with `SU`, `SA` or `SO` is the
/// seed, as in the Go client. Lines may end in `\n` or `\r\n`. Printing credentials shows the public key only.
public struct Credentials: Sendable {
    /// The user JWT, sent as CONNECT `jwt`. Treat as a secret.
    public let jwt: String
    /// The seed text. A secret.
    public let seed: String
    /// The key pair made from ``seed``; signs the server's nonce.
    public let keyPair: NKeyPair

    /// Parses the contents of a `.creds` file.
    ///
    /// - Throws: ``NATSAuthError`` with code `invalidCredentials` when no JWT block or no seed is found, or
    ///   `invalidSeed` when the seed does not decode.
    public init(contents: String) throws(NATSAuthError) {
        let lines = contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(Self.trimmed)
        let blocks = Self.armouredValues(in: lines)
        guard let jwt = blocks.first else {
            throw NATSAuthError(.invalidCredentials, "no JWT block: expected a dashed line, the JWT, a dashed line")
        }
        let seedPrefixes = ["SU", "SA", "SO"]
        guard let seed = blocks.dropFirst().first ?? lines.first(where: { line in seedPrefixes.contains { line.hasPrefix($0) } })
        else {
            throw NATSAuthError(.invalidCredentials, "no NKEY seed: expected a second armoured block or a line starting with SU, SA or SO")
        }
        try self.init(jwt: String(jwt), seed: String(seed))
    }

    /// Creates credentials from a JWT and seed text.
    ///
    /// - Throws: ``NATSAuthError`` with code `invalidSeed` when the seed does not decode.
    public init(jwt: String, seed: String) throws(NATSAuthError) {
        self.keyPair = try NKeyPair(seed: seed)
        self.jwt = jwt
        self.seed = seed
    }

    /// The values of the armoured blocks, in order: a dashed line, a value line, a dashed line.
    private static func armouredValues(in lines: [Substring]) -> [Substring] {
        var values: [Substring] = []
        var index = lines.startIndex
        while index + 2 < lines.endIndex {
            if isArmour(lines[index]), isValue(lines[index + 1]), isArmour(lines[index + 2]) {
                values.append(lines[index + 1])
                index += 3
            } else {
                index += 1
            }
        }
        return values
    }

    /// At least three dashes, some text, at least three dashes.
    private static func isArmour(_ line: Substring) -> Bool {
        line.utf8.count >= 6 && line.hasPrefix("---") && line.hasSuffix("---")
    }

    /// One or more of `A-Z a-z 0-9 _ - . =`: the characters of JWTs and seeds.
    private static func isValue(_ line: Substring) -> Bool {
        !line.isEmpty
            && line.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "="):
                    true
                default:
                    false
                }
            }
    }

    private static func trimmed(_ line: Substring) -> Substring {
        var line = line
        while line.first?.isWhitespace == true { line.removeFirst() }
        while line.last?.isWhitespace == true { line.removeLast() }
        return line
    }
}

extension Credentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `Credentials(user: U…)`: never the JWT or the seed.
    public var description: String {
        "Credentials(\(keyPair.type): \(keyPair.publicKey))"
    }

    /// Same as ``description``.
    public var debugDescription: String {
        description
    }

    /// Shows the key pair (type and public key) only.
    public var customMirror: Mirror {
        Mirror(self, children: ["keyPair": keyPair], displayStyle: .struct)
    }
}
