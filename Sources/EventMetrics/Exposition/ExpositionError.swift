/// A metric family that cannot be exposed: a bad name, label, unit or value, or two families whose names collide.
///
/// Equality compares codes only.
public struct ExpositionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case invalidMetricName, invalidLabelName, invalidUnit, invalidValue, duplicateSeries, nameCollision
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// A metric name outside `[a-zA-Z_:][a-zA-Z0-9_:]*`, a counter not ending in `_total`, or a reserved suffix.
        public static let invalidMetricName = Code(.invalidMetricName)
        /// A label name outside `[a-zA-Z_][a-zA-Z0-9_]*`, starting with `__`, reserved (`le` on a histogram) or repeated.
        public static let invalidLabelName = Code(.invalidLabelName)
        /// A unit that is not `[a-z0-9_]+` or is not the suffix of the family name.
        public static let invalidUnit = Code(.invalidUnit)
        /// A value that does not fit the family type (a histogram value in a counter, a negative counter, …).
        public static let invalidValue = Code(.invalidValue)
        /// Two series of one family with the same labels.
        public static let duplicateSeries = Code(.duplicateSeries)
        /// Two families whose names, or sample names, collide.
        public static let nameCollision = Code(.nameCollision)

        /// A short description of the code.
        public var description: String {
            switch base {
            case .invalidMetricName: "invalid metric name"
            case .invalidLabelName: "invalid label name"
            case .invalidUnit: "invalid unit"
            case .invalidValue: "invalid value"
            case .duplicateSeries: "duplicate series"
            case .nameCollision: "metric name collision"
            }
        }
    }

    /// What kind of problem it is.
    public let code: Code
    /// The family and what is wrong with it.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message.
    public var description: String { "ExpositionError(\(code)): \(message)" }

    /// Compares codes only.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
