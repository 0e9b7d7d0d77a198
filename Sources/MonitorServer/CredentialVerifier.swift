import Foundation
import HummingbirdBasicAuth
import HummingbirdBcrypt
import Monitor
import Synchronization

/// Checks HTTP basic-auth credentials against bcrypt hashes without letting bcrypt hurt the server.
///
/// - bcrypt runs on NIO's thread pool (HummingbirdBasicAuth's ``BcryptPasswordVerifier``), never on a task executor
///   or event loop thread;
/// - a verified `Authorization` value is remembered (``CredentialCache``: SHA-256 keys, 1024 entries, 5 minutes),
///   so a scraper pays for bcrypt once per five minutes;
/// - at most `maximumConcurrentVerifications` run at once; a request beyond that is answered at once with
///   ``Outcome/busy`` (429), so a flood of wrong passwords costs at most that many cores and cheap requests keep
///   being served;
/// - an unknown user is checked against a dummy hash of the highest configured cost, so it takes as long as a known
///   user with a wrong password and the timing does not tell which users exist;
/// - credentials with NUL or other control bytes, or that are not UTF-8, are refused before bcrypt (bcrypt's C
///   implementation would stop at a NUL and accept `password\0anything`).
final class CredentialVerifier: Sendable {
    enum Outcome: Sendable, Equatable {
        case accepted
        case rejected
        /// Too many verifications are running; try again later.
        case busy
    }

    private let users: [String: String]
    private let dummyHash: String
    private let passwordVerifier: any PasswordHashVerifier
    private let maximumConcurrentVerifications: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state: Mutex<State>

    private struct State {
        var cache: CredentialCache
        var running = 0
    }

    /// - Parameter users: user name → bcrypt hash; a malformed hash or a cost above ``BcryptHash/maximumCost`` is an
    ///   error naming the user (never the hash).
    init(
        users: [String: String],
        maximumConcurrentVerifications: Int = max(1, ProcessInfo.processInfo.activeProcessorCount / 2),
        cache: CredentialCache = CredentialCache(),
        passwordVerifier: any PasswordHashVerifier = BcryptPasswordVerifier(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) throws(ConfigurationError) {
        var highestCost = BcryptHash.minimumCost
        for (user, hash) in users.sorted(by: { $0.key < $1.key }) {
            do {
                highestCost = max(highestCost, try BcryptHash(hash).cost)
            } catch {
                throw ConfigurationError("http.basic_auth_users: the hash of user \(user) \(error)")
            }
        }
        self.users = users
        self.dummyHash = Bcrypt.hash(UUID().uuidString, cost: UInt8(highestCost))
        self.passwordVerifier = passwordVerifier
        self.maximumConcurrentVerifications = maximumConcurrentVerifications
        self.now = now
        self.state = Mutex(State(cache: cache))
    }

    /// Checks an `Authorization` header value.
    func verify(authorization: String?) async -> Outcome {
        guard let authorization, let credentials = Self.credentials(authorization) else { return .rejected }
        let key = CredentialCache.key(authorization)
        let acquired = state.withLock { state -> Bool? in
            if state.cache.contains(key, now: now()) { return nil }
            guard state.running < maximumConcurrentVerifications else { return false }
            state.running += 1
            return true
        }
        switch acquired {
        case nil: return .accepted
        case false?: return .busy
        case true?: break
        }
        let hash = users[credentials.user]
        let matches = (try? await passwordVerifier.verifyPassword(credentials.password, createsHash: hash ?? dummyHash)) ?? false
        let accepted = matches && hash != nil
        state.withLock { state in
            state.running -= 1
            if accepted { state.cache.insert(key, now: now()) }
        }
        return accepted ? .accepted : .rejected
    }

    /// The user and password of a `Basic` header value; `nil` when it is not one, or when either has a control byte
    /// or is not UTF-8.
    static func credentials(_ authorization: String) -> (user: String, password: String)? {
        let scheme = authorization.prefix(6)
        guard scheme.count == 6, scheme.lowercased() == "basic " else { return nil }
        guard let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)) else { return nil }
        let bytes = Array(decoded)
        guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }), let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
            let user = String(validating: bytes[..<colon], as: UTF8.self),
            let password = String(validating: bytes[(colon + 1)...], as: UTF8.self)
        else { return nil }
        return (user, password)
    }
}
