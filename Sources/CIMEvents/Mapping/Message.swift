/// One message being mapped: its buffers and the fields found in its headers and payload, with the
/// precedence rules that combine them (headers win over payload fields).
struct Message {
    let subject: UnsafeRawBufferPointer
    let headers: UnsafeRawBufferPointer
    let payload: UnsafeRawBufferPointer
    let header: HeaderFields
    let fields: PayloadFields

    init(subject: UnsafeRawBufferPointer, headers: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, fields: consuming PayloadFields) {
        self.subject = subject
        self.headers = headers
        self.payload = payload
        header = HeaderFields(parsing: headers)
        self.fields = fields
    }

    /// The payload's event type: `event_type`, `type`, `payload_metadata.payload_type`, then the
    /// tag of an externally tagged `stored_event.event`, `event` or top-level object. Empty strings
    /// do not count.
    var payloadEventType: JSONString? {
        if let value = fields.eventType, !value.span.isEmpty { return value }
        if let value = fields.type, !value.span.isEmpty { return value }
        if let value = fields.payloadType, !value.span.isEmpty { return value }
        return fields.taggedType
    }

    /// The event id: a header, else `event_id`, else `stored_event.event_id`.
    var eventID: String? {
        id(header.eventID, fields.eventID, fields.storedEventID, nil)
    }

    /// The correlation id: a header, else `correlation_id`, `metadata.correlation_id`, `stored_event.metadata.correlation_id`.
    var correlationID: String? {
        id(header.correlationID, fields.correlationID, fields.metaCorrelationID, fields.storedCorrelationID)
    }

    /// The causation id: a header, else `causation_id`, `metadata.causation_id`, `stored_event.metadata.causation_id`.
    var causationID: String? {
        id(header.causationID, fields.causationID, fields.metaCausationID, fields.storedCausationID)
    }

    /// An id from a header, else the first payload source that has one.
    func id(_ headerValue: ByteSpan?, _ a: JSONString?, _ b: JSONString?, _ c: JSONString?) -> String? {
        if let headerValue { return String(bytes: headers.slice(headerValue)) }
        guard let value = a ?? b ?? c else { return nil }
        return value.string(in: payload)
    }

    /// The event time: header `X-Timestamp`; the payload time sources in order; the time in a
    /// UUIDv7 event id. A source that is present but unreadable adds `bad_timestamp` and is skipped.
    func time(eventID: String?, violations: inout SchemaViolations) -> Double? {
        if let span = header.timestamp {
            if let time = EventTime.seconds(text: headers.slice(span)) { return time }
            violations.insert(.badTimestamp)
        }
        for index in 0..<TimeSources.count {
            let value = fields.times[index]
            if case .absent = value { continue }
            if let time = EventTime.seconds(value, in: payload) { return time }
            violations.insert(.badTimestamp)
        }
        guard var id = eventID else { return nil }
        return id.withUTF8 { UUIDv7.seconds(UnsafeRawBufferPointer($0)) }
    }
}
