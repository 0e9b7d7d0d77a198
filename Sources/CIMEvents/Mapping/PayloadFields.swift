/// The fields of a CIM payload that the mapper uses, as spans into the payload bytes. Filled by
/// `PayloadScanner` in one pass; fields the payload does not have stay `nil`/`.absent`.
struct PayloadFields {
    var eventType: JSONString?
    var type: JSONString?
    var payloadType: JSONString?
    var aggregateType: JSONString?
    var storedAggregateType: JSONString?
    var eventID: JSONString?
    var storedEventID: JSONString?
    var correlationID: JSONString?
    var metaCorrelationID: JSONString?
    var storedCorrelationID: JSONString?
    var causationID: JSONString?
    var metaCausationID: JSONString?
    var storedCausationID: JSONString?
    /// Time sources in order of precedence: `timestamp`, `occurred_at`, `stored_at`, `created_at`,
    /// `stored_event.stored_at`, `header.timestamp`.
    var times = TimeSources()
    /// The single-key tags of the top-level object, `event` and `stored_event.event`.
    var rootTag = TagTracker()
    var eventTag = TagTracker()
    var storedEventTag = TagTracker()
    /// The first `error_type` / `error.{kind,type,code}` in document order.
    var error: ErrorCandidate?

    /// The type named by an externally tagged object, in order: `stored_event.event`, `event`, top level.
    var taggedType: JSONString? { storedEventTag.tag ?? eventTag.tag ?? rootTag.tag }

    mutating func setString(_ value: JSONString?, for slot: PayloadSlot) {
        switch slot {
        case .eventType: eventType = value
        case .type: type = value
        case .payloadType: payloadType = value
        case .aggregateType: aggregateType = value
        case .storedAggregateType: storedAggregateType = value
        case .eventID: eventID = value
        case .storedEventID: storedEventID = value
        case .correlationID: correlationID = value
        case .metaCorrelationID: metaCorrelationID = value
        case .storedCorrelationID: storedCorrelationID = value
        case .causationID: causationID = value
        case .metaCausationID: metaCausationID = value
        case .storedCausationID: storedCausationID = value
        default: break
        }
    }
}

/// A time field as found: absent, a string, a number, a `{secs_since_epoch, nanos_since_epoch}`
/// object, or something that cannot be a time.
enum TimeValue: Equatable {
    case absent
    case string(JSONString)
    case number(JSONString)
    case object(secs: JSONString?, nanos: JSONString?)
    case unreadable
}

/// The six payload time sources, indexed from `PayloadSlot.timestamp`.
struct TimeSources {
    private(set) var values: (TimeValue, TimeValue, TimeValue, TimeValue, TimeValue, TimeValue) =
        (.absent, .absent, .absent, .absent, .absent, .absent)

    static let count = 6

    subscript(index: Int) -> TimeValue {
        get {
            switch index {
            case 0: values.0
            case 1: values.1
            case 2: values.2
            case 3: values.3
            case 4: values.4
            default: values.5
            }
        }
        set {
            switch index {
            case 0: values.0 = newValue
            case 1: values.1 = newValue
            case 2: values.2 = newValue
            case 3: values.3 = newValue
            case 4: values.4 = newValue
            default: values.5 = newValue
            }
        }
    }

    subscript(slot: PayloadSlot) -> TimeValue {
        get { self[Int(slot.rawValue - PayloadSlot.timestamp.rawValue)] }
        set { self[Int(slot.rawValue - PayloadSlot.timestamp.rawValue)] = newValue }
    }
}

/// Counts the keys of an object and remembers the first one when its value is an object, so that
/// an externally tagged object (`{"PersonNameChanged": {…}}`) can be recognised.
struct TagTracker {
    var keys: Int32 = 0
    var first: JSONString?

    mutating func reset() { self = TagTracker() }

    mutating func key(_ key: JSONString, valueIsObject: Bool) {
        keys &+= 1
        if keys == 1, valueIsObject { first = key }
    }

    /// The tag, when the object had exactly one key whose value was an object.
    var tag: JSONString? { keys == 1 ? first : nil }
}

/// An error type found in the payload, with the offset of its key for document order.
struct ErrorCandidate {
    var keyOffset: Int32
    var value: JSONString
}
