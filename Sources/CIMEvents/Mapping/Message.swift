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
    /// UUIDv7 event id. A source that is present but unreadable adds `bad_timestamp` and is skipped; one
    /// outside ``EventTimeWindow`` (given the message's `reference` time) adds `timestamp_out_of_range` and
    /// is skipped too.
    func time(eventID: String?, reference: Double?, violations: inout SchemaViolations) -> Double? {
        if let span = header.timestamp {
            if let time = plausible(EventTime.seconds(text: headers.slice(span)), reference, &violations) { return time }
        }
        for index in 0..<TimeSources.count {
            let value = fields.times[index]
            if case .absent = value { continue }
            if let time = plausible(EventTime.seconds(value, in: payload), reference, &violations) { return time }
        }
        guard var id = eventID, let time = id.withUTF8({ UUIDv7.seconds(UnsafeRawBufferPointer($0)) }) else { return nil }
        return plausible(time, reference, &violations)
    }

    /// `time` when it was read and lies in the window; else `nil`, with the violation that says why.
    private func plausible(_ time: Double?, _ reference: Double?, _ violations: inout SchemaViolations) -> Double? {
        guard let time else {
            violations.insert(.badTimestamp)
            return nil
        }
        guard EventTimeWindow.contains(time, reference: reference) else {
            violations.insert(.timestampOutOfRange)
            return nil
        }
        return time
    }
}
