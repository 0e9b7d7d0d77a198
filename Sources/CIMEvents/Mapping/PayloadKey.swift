/// The JSON object keys the mapper looks at; every other key is `.other`.
enum PayloadKey: UInt8 {
    case other
    case aggregateType, causationID, cid, code, correlationID, createdAt, error, errorType, event, eventID, eventType
    case header, kind, metadata, nanosSinceEpoch, occurredAt, payloadMetadata, payloadType, secsSinceEpoch, storedAt
    case storedEvent, timestamp, type, uuid, value

    /// Identifies a key from its (unescaped) bytes: a switch on the length, then one or two compares.
    @inline(__always)
    init(_ key: UnsafeRawBufferPointer) {
        self = .other
        switch key.count {
        case 3: if key.equals("Cid") { self = .cid }
        case 4:
            if key.equals("type") {
                self = .type
            } else if key.equals("kind") {
                self = .kind
            } else if key.equals("code") {
                self = .code
            } else if key.equals("Uuid") {
                self = .uuid
            }
        case 5:
            if key.equals("event") {
                self = .event
            } else if key.equals("error") {
                self = .error
            } else if key.equals("value") {
                self = .value
            }
        case 6: if key.equals("header") { self = .header }
        case 8:
            if key.equals("event_id") {
                self = .eventID
            } else if key.equals("metadata") {
                self = .metadata
            }
        case 9:
            if key.equals("timestamp") {
                self = .timestamp
            } else if key.equals("stored_at") {
                self = .storedAt
            }
        case 10:
            if key.equals("event_type") {
                self = .eventType
            } else if key.equals("error_type") {
                self = .errorType
            } else if key.equals("created_at") {
                self = .createdAt
            }
        case 11: if key.equals("occurred_at") { self = .occurredAt }
        case 12:
            if key.equals("stored_event") {
                self = .storedEvent
            } else if key.equals("causation_id") {
                self = .causationID
            } else if key.equals("payload_type") {
                self = .payloadType
            }
        case 14:
            if key.equals("aggregate_type") {
                self = .aggregateType
            } else if key.equals("correlation_id") {
                self = .correlationID
            }
        case 16:
            if key.equals("payload_metadata") {
                self = .payloadMetadata
            } else if key.equals("secs_since_epoch") {
                self = .secsSinceEpoch
            }
        case 17: if key.equals("nanos_since_epoch") { self = .nanosSinceEpoch }
        default: break
        }
    }
}
