/// A snapshot that cannot be restored. Equality compares codes only.
public struct SnapshotError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case badMagic, unsupportedVersion, truncated, checksumMismatch, malformed
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The bytes do not start with the snapshot magic `CIMF`: not a snapshot of this fold.
        public static let badMagic = Code(.badMagic)
        /// A snapshot format version this build cannot read.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// Fewer bytes than the header says (or than a header needs).
        public static let truncated = Code(.truncated)
        /// The checksum does not match: the bytes were changed after they were written.
        public static let checksumMismatch = Code(.checksumMismatch)
        /// The checksum matches but the content is inconsistent (out-of-range ids, trailing bytes, …).
        public static let malformed = Code(.malformed)

        /// A short description of the code.
        public var description: String {
            switch base {
            case .badMagic: "not a metrics snapshot"
            case .unsupportedVersion: "unsupported snapshot version"
            case .truncated: "truncated snapshot"
            case .checksumMismatch: "snapshot checksum mismatch"
            case .malformed: "malformed snapshot"
            }
        }
    }

    /// What kind of problem it is.
    public let code: Code
    /// Details: what was expected and found, and where.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message.
    public var description: String { "SnapshotError(\(code)): \(message)" }

    /// Compares codes only.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
