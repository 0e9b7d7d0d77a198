import Crypto

/// Credentials that passed bcrypt recently, so that a scraper pays for bcrypt once per `lifetime` and not per request.
///
/// Keyed by the SHA-256 of the whole `Authorization` header value (the password itself is not kept); bounded to
/// `capacity` entries: expired entries go first, then the one that expires soonest. Only verified credentials
/// are cached, so requests with wrong passwords cannot fill it.
struct CredentialCache: Sendable {
    let capacity: Int
    let lifetime: Duration
    private var expiries: [Key: ContinuousClock.Instant] = [:]

    /// A SHA-256 digest as four words (swift-crypto's digest type is not `Sendable`).
    struct Key: Hashable, Sendable {
        let words: (UInt64, UInt64, UInt64, UInt64)

        static func == (a: Key, b: Key) -> Bool { a.words == b.words }

        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
            hasher.combine(words.2)
            hasher.combine(words.3)
        }
    }

    init(capacity: Int = 1024, lifetime: Duration = .seconds(300)) {
        precondition(capacity > 0, "a credential cache needs room for one entry")
        self.capacity = capacity
        self.lifetime = lifetime
    }

    static func key(_ authorization: String) -> Key {
        SHA256.hash(data: Array(authorization.utf8)).withUnsafeBytes { bytes in
            Key(
                words: (
                    bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                    bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                )
            )
        }
    }

    var count: Int { expiries.count }

    /// Whether `key` was verified less than `lifetime` before `now`; an expired entry is removed.
    mutating func contains(_ key: Key, now: ContinuousClock.Instant) -> Bool {
        guard let expiry = expiries[key] else { return false }
        if expiry > now { return true }
        expiries[key] = nil
        return false
    }

    mutating func insert(_ key: Key, now: ContinuousClock.Instant) {
        if expiries[key] == nil && expiries.count >= capacity {
            expiries = expiries.filter { $0.value > now }
            if expiries.count >= capacity, let soonest = expiries.min(by: { $0.value < $1.value })?.key { expiries[soonest] = nil }
        }
        expiries[key] = now + lifetime
    }
}
