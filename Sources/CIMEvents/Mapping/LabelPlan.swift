/// Where each label of an event comes from, as decided by the subject (a config rule or the
/// built-in `cim` profile).
struct LabelPlan {
    enum Source {
        /// A subject token.
        case token(ByteSpan)
        /// A fixed, already normalised value.
        case fixed(Label)
        /// The payload's value (see the spec's "payload"), else `unknown`.
        case payload
        /// The payload's value, else a subject token.
        case payloadOrToken(ByteSpan)
    }

    var domain: Source
    var aggregateType: Source
    var eventType: Source
}
