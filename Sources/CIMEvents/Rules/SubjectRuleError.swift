/// Why a subject template (a config `mapping.rules[].subject`) was rejected.
///
/// Equality compares codes only; `description` is one line naming the template and the problem.
public struct SubjectRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case emptyTemplate, emptyToken, unknownPlaceholder, duplicatePlaceholder, misplacedWildcard, invalidToken
            case conflictingValue
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The template is empty.
        public static let emptyTemplate = Code(.emptyTemplate)
        /// A token is empty (`a..b`, a leading or trailing `.`).
        public static let emptyToken = Code(.emptyToken)
        /// A `{placeholder}` is not one of `{domain}`, `{aggregate_type}`, `{event_type}`, `{_}`, `{*}`.
        public static let unknownPlaceholder = Code(.unknownPlaceholder)
        /// A field placeholder appears twice.
        public static let duplicatePlaceholder = Code(.duplicatePlaceholder)
        /// `>` is not the last token.
        public static let misplacedWildcard = Code(.misplacedWildcard)
        /// A token mixes braces or wildcards with other characters, or holds whitespace.
        public static let invalidToken = Code(.invalidToken)
        /// A field is both a placeholder and given a fixed value.
        public static let conflictingValue = Code(.conflictingValue)

        public var description: String { base.rawValue }
    }

    /// The kind of problem.
    public let code: Code
    /// The template as given.
    public let template: String
    /// What is wrong, and what to do about it.
    public let message: String

    init(_ code: Code, template: String, _ message: String) {
        self.code = code
        self.template = template
        self.message = message
    }

    public var description: String { "invalid subject template \"\(template)\": \(message)" }

    public static func == (lhs: SubjectRuleError, rhs: SubjectRuleError) -> Bool { lhs.code == rhs.code }
}
