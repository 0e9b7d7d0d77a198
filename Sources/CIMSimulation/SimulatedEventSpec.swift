/// One kind of event the simulator emits: where it is published (subject shape), how it is wrapped
/// (envelope), and, for failures, how its error kind is carried. The shapes and envelopes are the
/// conventions CIM producers use (`Tests/Fixtures/README.md`, `research/cim-conventions.md` §1–2).
struct SimulatedEventSpec: Sendable {
    /// The subject conventions in use.
    enum Shape: Sendable {
        /// `cim.<domain>.events.<aggregate>.<event>`
        case cimAggregate
        /// `cim.<domain>.events.<event>` (the aggregate type is in the payload)
        case cimEvent
        /// `<domain>.events.<aggregate>.<aggregate_id>.<event>` (cim-domain-agent's subject factory)
        case domainAggregateID
        /// `<domain>.events.<aggregate>.<event>` (the documented naming standard)
        case domainAggregate
        /// `<domain>.<aggregate>.<event>.v1` (cim-subject's four-token algebra)
        case versioned
        /// `events.<AggregateType>.<aggregate_id>` (cim-domain's JetStream event store)
        case eventStore
        /// `cim.<domain>.<aggregate>.<event>` (the UI bridge)
        case cimContext
        /// `<domain>.<aggregate>.<aggregate_id>.<event>` (cim-infrastructure)
        case contextID
    }

    /// The payload envelopes in use.
    enum Envelope: Sendable {
        /// `event_id`, `aggregate_id`, `aggregate_type`, ids, RFC 3339 `occurred_at`, `payload`.
        case standard
        /// cim-domain HEAD: UUIDv7 id (the only time), `{"kind":"Single"}` correlation, `payload_metadata`, `Either` payload.
        case head
        /// cim-domain's event store: `stored_event` with an externally tagged `event`, and `event_with_cid`.
        case stored
        /// cim-domain-agent: internally tagged `type`, RFC 3339 `timestamp`.
        case agent
        /// `occurred_at` as serde's `SystemTime` object, `{"Uuid": …}` ids.
        case systemTime
        /// Unix seconds (an integer) in `timestamp`.
        case unixSeconds
        /// Unix milliseconds in `timestamp`.
        case unixMillis
        /// alchemist's UI bridge `NatsEvent`: `event_type`, RFC 3339 `+00:00` timestamp.
        case uiBridge
        /// Ids and time only in headers, by their aliases (`x-event-id`, `CIM-Correlation-Id`, `x-timestamp`).
        case headerAliases
        /// cim's `cim-events` module: `event_type`, `event_data`, a `header` object, `X-Message-ID` headers.
        case eventsModule
        /// A conversation turn: `aggregate_type` in the payload, nanosecond RFC 3339 `+00:00` timestamp.
        case conversation
        /// A flat object with `event_id`, `aggregate_id` and an RFC 3339 `created_at`.
        case plain
    }

    /// Where a failure carries its error kind.
    enum ErrorStyle: Sendable {
        /// `"error": {"kind": K, "message": …}`
        case kind
        /// `"error_type": K` with `error_message` and `recoverable`
        case typeField
        /// `"error": {"code": K}`
        case code
        /// The header `X-Error-Type: K`, with free text in `error`
        case header
        /// Only free text in `error`: the monitor's `error_type` is `unknown`
        case textOnly
    }

    /// The aggregate's subject token (snake_case).
    var aggregate: String
    /// The aggregate type as payloads write it (PascalCase).
    var aggregateType: String
    /// The event's subject token (snake_case, or PascalCase where producers write that).
    var event: String
    /// The event's type name in payloads and headers (PascalCase).
    var typeName: String
    var shape: Shape
    var envelope: Envelope
    /// Relative frequency within its domain.
    var weight: Double
    /// The error kinds of a failure; empty for an ordinary event.
    var errorKinds: [String]
    var errorStyle: ErrorStyle

    init(
        _ aggregate: String,
        _ event: String,
        _ shape: Shape,
        _ envelope: Envelope,
        weight: Double = 1,
        typeName: String? = nil,
        errors: [String] = [],
        style: ErrorStyle = .kind
    ) {
        self.aggregate = aggregate
        self.aggregateType = Self.pascalCase(aggregate)
        self.event = event
        self.typeName = typeName ?? Self.pascalCase(event)
        self.shape = shape
        self.envelope = envelope
        self.weight = weight
        self.errorKinds = errors
        self.errorStyle = style
    }

    var isFailure: Bool { !errorKinds.isEmpty }

    /// `node_added` → `NodeAdded`; a token that is already PascalCase stays as it is.
    static func pascalCase(_ token: String) -> String {
        token.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
