/// Turns one NATS message (subject, header block, payload) into one `Event`, as the `cim` mapping
/// profile specifies (`Tests/Fixtures/README.md`), after any config `SubjectRule`s.
///
/// Every message yields an event: a bad payload (empty, too large, not UTF-8, not JSON, not an
/// object) still gets labels from its subject and headers, and records a schema violation.
///
/// The mapper never decodes a payload into a tree: `PayloadScanner` validates it and picks out the
/// few fields needed in one pass. Label values are cached by their raw bytes (bounded), which is why
/// `map` is `mutating`; give each consumer its own mapper.
public struct EventMapper: Sendable {
    /// The config rules, tried in order before the built-in profile.
    public let rules: [SubjectRule]
    /// Payloads longer than this (or than 2 GiB) are not parsed and record `too_large`.
    public let maxPayloadBytes: Int
    var labels: LabelInterner

    /// A mapper with config `rules` (tried first) and a payload size limit.
    public init(rules: [SubjectRule] = [], maxPayloadBytes: Int = 1 << 20) {
        self.rules = rules
        self.maxPayloadBytes = maxPayloadBytes
        labels = LabelInterner()
    }

    /// Maps one message.
    /// - Parameters:
    ///   - subject: the NATS subject bytes (ASCII).
    ///   - headers: the raw NATS header block exactly as on the wire (`NATS/1.0\r\nName: value\r\n…\r\n\r\n`,
    ///     possibly with a status line like `NATS/1.0 503`), or empty when the message has no headers.
    ///   - payload: the message body.
    ///   - reference: the message's JetStream store time, else the time it was received (unix seconds): event
    ///     times more than a day after it are out of range (``EventTimeWindow``). `nil`: no upper bound.
    public mutating func map(
        subject: UnsafeRawBufferPointer,
        headers: UnsafeRawBufferPointer,
        payload: UnsafeRawBufferPointer,
        reference: Double? = nil
    ) -> Event {
        var fields = PayloadFields()
        var violations: SchemaViolations = []
        if payload.isEmpty {
            violations.insert(.empty)
        } else if payload.count > maxPayloadBytes || payload.count > JSONString.maximumOffset {
            violations.insert(.tooLarge)
        } else {
            switch PayloadScanner.scan(payload, into: &fields) {
            case .object: break
            case .notObject: violations.insert(.notObject)
            case .invalid: violations.insert(UTF8Validation.isValid(payload) ? .invalidJSON : .invalidUTF8)
            }
        }
        let message = Message(subject: subject, headers: headers, payload: payload, fields: fields)
        let plan = plan(subject)
        let domain = label(plan.domain, subject, payload, payloadValue: nil)
        let aggregateType = label(
            plan.aggregateType,
            subject,
            payload,
            payloadValue: message.fields.aggregateType ?? message.fields.storedAggregateType
        )
        let eventType: Label
        if let span = message.header.eventType {
            eventType = labels.label(headers.slice(span))
        } else {
            eventType = label(plan.eventType, subject, payload, payloadValue: message.payloadEventType)
        }
        var errorType: String?
        if eventType.isFailure {
            if let span = message.header.errorType {
                errorType = labels.label(headers.slice(span)).value
            } else if let error = message.fields.error {
                errorType = error.value.withBytes(in: payload) { labels.label($0) }.value
            } else {
                errorType = Label.unknown.value
            }
        }
        let id = message.eventID
        let time = message.time(eventID: id, reference: reference, violations: &violations)
        return Event(
            domain: domain.value,
            aggregateType: aggregateType.value,
            eventType: eventType.value,
            time: time,
            id: id,
            correlationID: message.correlationID,
            causationID: message.causationID,
            failed: eventType.isFailure,
            errorType: errorType,
            violations: violations
        )
    }

    /// The label plan of the first config rule matching `subject`, else of the built-in profile.
    private func plan(_ subject: UnsafeRawBufferPointer) -> LabelPlan {
        for rule in rules {
            if let plan = rule.plan(subject) { return plan }
        }
        return CIMProfile.plan(subject, SubjectTokens(subject))
    }

    private mutating func label(
        _ source: LabelPlan.Source,
        _ subject: UnsafeRawBufferPointer,
        _ payload: UnsafeRawBufferPointer,
        payloadValue: JSONString?
    ) -> Label {
        switch source {
        case .token(let span):
            return labels.label(subject.slice(span))
        case .fixed(let label):
            return label
        case .payload:
            guard let value = payloadValue else { return .unknown }
            return value.withBytes(in: payload) { labels.label($0) }
        case .payloadOrToken(let span):
            guard let value = payloadValue else { return labels.label(subject.slice(span)) }
            return value.withBytes(in: payload) { labels.label($0) }
        }
    }
}
