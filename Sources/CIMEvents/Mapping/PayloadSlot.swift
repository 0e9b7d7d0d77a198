/// What a JSON value in a CIM payload is, for the mapper: the role a value (or an open object)
/// plays, given the key it sits under and the object around it. Everything not listed is `.ignored`.
enum PayloadSlot: UInt8 {
    case ignored
    /// An open array (on the container stack only).
    case array
    case root
    // Plain string fields.
    case eventType, type, aggregateType, eventID, payloadType, storedEventID, storedAggregateType
    // Ids: a string, or an object holding the id under `value`, `Uuid` or `Cid`.
    case correlationID, causationID, metaCorrelationID, metaCausationID, storedCorrelationID, storedCausationID
    // Containers on the way to fields.
    case payloadMetadata, metadata, storedEvent, storedMetadata, header
    // Externally tagged objects (`{"PersonNameChanged": {…}}`): their single key is the event type.
    case event, storedEventEvent
    // Time sources, in order of precedence.
    case timestamp, occurredAt, storedAt, createdAt, storedStoredAt, headerTimestamp
    // Inside a `{"secs_since_epoch", "nanos_since_epoch"}` time object, or an id object.
    case timeSecs, timeNanos, idValue
    // Error search: `error_type` strings, and `error` objects with `kind`, `type` or `code`.
    case errorTypeField, errorObject, errorKind, errorTypeName, errorCode

    /// The depth (1 = keys of the top-level object) up to which `error_type` and `error` keys count.
    static let errorSearchDepth = 6

    @inline(__always)
    var isTime: Bool { rawValue >= PayloadSlot.timestamp.rawValue && rawValue <= PayloadSlot.headerTimestamp.rawValue }
    @inline(__always)
    var isID: Bool { rawValue >= PayloadSlot.correlationID.rawValue && rawValue <= PayloadSlot.storedCausationID.rawValue }
    @inline(__always)
    var isTagged: Bool { self == .root || self == .event || self == .storedEventEvent }

    /// The role of the value under `key` in an object whose own role is `self`, at nesting `depth`
    /// (the object's depth; the top-level object is 1).
    @inline(__always)
    func child(_ key: PayloadKey, depth: Int) -> PayloadSlot {
        guard key != .other else { return .ignored }
        if let slot = namedChild(key) { return slot }
        guard depth <= Self.errorSearchDepth else { return .ignored }
        switch key {
        case .errorType: return .errorTypeField
        case .error: return .errorObject
        default: return .ignored
        }
    }

    @inline(__always)
    private func namedChild(_ key: PayloadKey) -> PayloadSlot? {
        switch (self, key) {
        case (.root, .eventType): .eventType
        case (.root, .type): .type
        case (.root, .aggregateType): .aggregateType
        case (.root, .eventID): .eventID
        case (.root, .correlationID): .correlationID
        case (.root, .causationID): .causationID
        case (.root, .metadata): .metadata
        case (.root, .payloadMetadata): .payloadMetadata
        case (.root, .event): .event
        case (.root, .storedEvent): .storedEvent
        case (.root, .header): .header
        case (.root, .timestamp): .timestamp
        case (.root, .occurredAt): .occurredAt
        case (.root, .storedAt): .storedAt
        case (.root, .createdAt): .createdAt
        case (.payloadMetadata, .payloadType): .payloadType
        case (.metadata, .correlationID): .metaCorrelationID
        case (.metadata, .causationID): .metaCausationID
        case (.storedEvent, .eventID): .storedEventID
        case (.storedEvent, .aggregateType): .storedAggregateType
        case (.storedEvent, .storedAt): .storedStoredAt
        case (.storedEvent, .event): .storedEventEvent
        case (.storedEvent, .metadata): .storedMetadata
        case (.storedMetadata, .correlationID): .storedCorrelationID
        case (.storedMetadata, .causationID): .storedCausationID
        case (.header, .timestamp): .headerTimestamp
        case (.errorObject, .kind): .errorKind
        case (.errorObject, .type): .errorTypeName
        case (.errorObject, .code): .errorCode
        case (_, .secsSinceEpoch) where isTime: .timeSecs
        case (_, .nanosSinceEpoch) where isTime: .timeNanos
        case (_, .value) where isID, (_, .uuid) where isID, (_, .cid) where isID: .idValue
        default: nil
        }
    }
}
