/// One CIM event as the monitor understands it: the labels it is counted under and the facts
/// (time, ids, failure, schema violations) that the metrics need.
///
/// Label values (`domain`, `aggregateType`, `eventType`, `errorType`) are always normalised,
/// bounded snake_case ASCII (see `Tests/Fixtures/README.md`), never free text from a payload.
public struct Event: Sendable, Equatable {
    public var domain: String
    public var aggregateType: String
    public var eventType: String
    /// Event time in unix seconds, or `nil` when the message carries none (or none that is readable and in
    /// ``EventTimeWindow``).
    public var time: Double?
    public var id: String?
    public var correlationID: String?
    public var causationID: String?
    /// `true` when the normalised event type names a failure.
    public var failed: Bool
    /// The normalised error type of a failure (`unknown` when none is given); `nil` when not failed.
    public var errorType: String?
    /// Schema violations found in the message (usually none).
    public var violations: SchemaViolations

    public init(
        domain: String,
        aggregateType: String,
        eventType: String,
        time: Double? = nil,
        id: String? = nil,
        correlationID: String? = nil,
        causationID: String? = nil,
        failed: Bool = false,
        errorType: String? = nil,
        violations: SchemaViolations = []
    ) {
        self.domain = domain
        self.aggregateType = aggregateType
        self.eventType = eventType
        self.time = time
        self.id = id
        self.correlationID = correlationID
        self.causationID = causationID
        self.failed = failed
        self.errorType = errorType
        self.violations = violations
    }
}

/// The `reason` label values of `cim_event_schema_violations_total`.
public struct SchemaViolations: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let empty = SchemaViolations(rawValue: 1 << 0)
    public static let invalidUTF8 = SchemaViolations(rawValue: 1 << 1)
    public static let invalidJSON = SchemaViolations(rawValue: 1 << 2)
    public static let notObject = SchemaViolations(rawValue: 1 << 3)
    public static let tooLarge = SchemaViolations(rawValue: 1 << 4)
    public static let badTimestamp = SchemaViolations(rawValue: 1 << 5)
    /// A readable event time outside ``EventTimeWindow`` (not finite, before 2000, or over a day ahead).
    public static let timestampOutOfRange = SchemaViolations(rawValue: 1 << 6)

    /// Every violation with its label value, in a stable order.
    public static let all: [(SchemaViolations, String)] = [
        (.empty, "empty"), (.invalidUTF8, "invalid_utf8"), (.invalidJSON, "invalid_json"),
        (.notObject, "not_object"), (.tooLarge, "too_large"), (.badTimestamp, "bad_timestamp"),
        (.timestampOutOfRange, "timestamp_out_of_range"),
    ]

    /// The label values of the violations in this set.
    public var reasons: [String] { Self.all.filter { contains($0.0) }.map(\.1) }
}
