/// A mapping rule from the config file (`mapping: {rules: [{subject: "orders.{domain}.{event_type}",
/// aggregate_type: "order"}]}`), tried before the built-in `cim` profile; the first rule that
/// matches a subject decides its labels.
///
/// The template is a subject pattern whose tokens are:
/// - `{domain}`, `{aggregate_type}`, `{event_type}`: the label is taken from that token;
/// - `{_}`, `{*}` or `*`: any one token, ignored;
/// - `>` (last only): one or more further tokens, ignored;
/// - anything else: a literal that the token must equal (case-sensitive).
///
/// A field may instead be given a fixed value. A field neither in the template nor fixed comes from
/// the payload as in the spec's "payload" (`aggregate_type`: `aggregate_type`, then
/// `stored_event.aggregate_type`; `event_type`: `event_type`, `type`, …), else `unknown`; a domain
/// has no payload source and is then `unknown`. The `X-Event-Type` header still wins for the event
/// type. All values, fixed ones included, are normalised like every label.
public struct SubjectRule: Sendable, Equatable {
    enum Field: Sendable, Equatable {
        case domain, aggregateType, eventType
    }

    enum Token: Sendable, Equatable {
        case literal([UInt8])
        case field(Field)
        case any
        case rest
    }

    /// The template as given.
    public let subject: String
    let tokens: [Token]
    let fixedDomain: Label?
    let fixedAggregateType: Label?
    let fixedEventType: Label?

    /// The fixed domain, normalised.
    public var domain: String? { fixedDomain?.value }
    /// The fixed aggregate type, normalised.
    public var aggregateType: String? { fixedAggregateType?.value }
    /// The fixed event type, normalised.
    public var eventType: String? { fixedEventType?.value }

    /// A rule from a subject template and optional fixed values.
    /// - Throws: `SubjectRuleError` when the template is not valid, or fixes a field it also has as a placeholder.
    public init(subject: String, domain: String? = nil, aggregateType: String? = nil, eventType: String? = nil) throws(SubjectRuleError) {
        self.subject = subject
        tokens = try Self.parse(subject)
        fixedDomain = domain.map { Self.label($0) }
        fixedAggregateType = aggregateType.map { Self.label($0) }
        fixedEventType = eventType.map { Self.label($0) }
        for (field, name, value) in [
            (Field.domain, "domain", domain), (.aggregateType, "aggregate_type", aggregateType), (.eventType, "event_type", eventType),
        ]
        where value != nil && tokens.contains(.field(field)) {
            throw SubjectRuleError(.conflictingValue, template: subject, "{\(name)} is in the template and also given a fixed value; keep one")
        }
    }

    private static func label(_ value: String) -> Label {
        var value = value
        return value.withUTF8 { LabelNormaliser.label(UnsafeRawBufferPointer($0)) }
    }

    private static func parse(_ template: String) throws(SubjectRuleError) -> [Token] {
        guard !template.isEmpty else { throw SubjectRuleError(.emptyTemplate, template: template, "the template is empty") }
        let parts = template.split(separator: ".", omittingEmptySubsequences: false)
        var tokens: [Token] = []
        for (index, part) in parts.enumerated() {
            let position = "token \(index + 1)"
            if part.isEmpty {
                throw SubjectRuleError(.emptyToken, template: template, "\(position) is empty")
            }
            if part.contains(where: \.isWhitespace) {
                throw SubjectRuleError(.invalidToken, template: template, "\(position) \"\(part)\" contains whitespace")
            }
            switch part {
            case ">":
                guard index == parts.count - 1 else {
                    throw SubjectRuleError(.misplacedWildcard, template: template, "\">\" must be the last token")
                }
                tokens.append(.rest)
            case "*", "{_}", "{*}":
                tokens.append(.any)
            case "{domain}", "{aggregate_type}", "{event_type}":
                let field: Field = part == "{domain}" ? .domain : part == "{aggregate_type}" ? .aggregateType : .eventType
                guard !tokens.contains(.field(field)) else {
                    throw SubjectRuleError(.duplicatePlaceholder, template: template, "\(part) appears more than once")
                }
                tokens.append(.field(field))
            default:
                if part.first == "{" && part.last == "}" {
                    throw SubjectRuleError(
                        .unknownPlaceholder,
                        template: template,
                        "unknown placeholder \(part); use {domain}, {aggregate_type}, {event_type}, or {_} to ignore a token"
                    )
                }
                if part.contains(where: { "{}*>".contains($0) }) {
                    throw SubjectRuleError(
                        .invalidToken,
                        template: template,
                        "\(position) \"\(part)\" mixes a placeholder or wildcard with other text; a placeholder must be a whole token"
                    )
                }
                tokens.append(.literal(Array(part.utf8)))
            }
        }
        return tokens
    }
}
