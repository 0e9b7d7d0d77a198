/// The shape of a bcrypt hash (`$2b$12$` + 22 characters of salt + 31 of hash) and its cost, checked when the
/// configuration is read so that a typo or an absurd cost is refused at start-up instead of at the first request.
public struct BcryptHash: Sendable, Hashable {
    /// The most expensive cost accepted: cost 14 takes about 0.8 s per verification on a current core, and every step
    /// doubles it (cost 31 would pin a core for days).
    public static let maximumCost = 14
    /// The cheapest cost the bcrypt implementation accepts.
    public static let minimumCost = 4

    public let hash: String
    public let cost: Int

    /// Why a hash was refused; never includes the hash itself.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed
        case costOutOfRange(Int)

        public var description: String {
            switch self {
            case .malformed: "is not a bcrypt hash ($2a$ or $2b$, a two-digit cost, 53 characters of salt and hash)"
            case .costOutOfRange(let cost): "has bcrypt cost \(cost); the cost must be \(BcryptHash.minimumCost) to \(BcryptHash.maximumCost)"
            }
        }
    }

    public init(_ hash: String) throws(Problem) {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
            bytes[2] == UInt8(ascii: "a") || bytes[2] == UInt8(ascii: "b"), bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$"),
            let tens = Self.digit(bytes[4]), let units = Self.digit(bytes[5]),
            bytes[7...].allSatisfy(Self.isBcryptBase64)
        else { throw .malformed }
        let cost = tens * 10 + units
        guard (Self.minimumCost...Self.maximumCost).contains(cost) else { throw .costOutOfRange(cost) }
        self.hash = hash
        self.cost = cost
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func isBcryptBase64(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "."), UInt8(ascii: "/"):
            true
        default: false
        }
    }
}
