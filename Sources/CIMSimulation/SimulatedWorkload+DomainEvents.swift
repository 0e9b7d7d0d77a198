extension SimulatedWorkload {
    /// Free text that failures carry next to their error kind (never a label).
    static let errorMessages = [
        "upstream returned 503", "deadline exceeded after 30s", "input rejected by schema", "resource busy, retry later",
        "429 from provider", "constraint violated",
    ]

    /// An event of a domain chosen by weight: one of its failures now and then, else an ordinary event.
    mutating func domainEvent(at time: SimulatedTimestamp) -> SimulatedMessage {
        let catalog = SimulatedDomain.catalog
        let index = random.weightedIndex(catalog.map(\.weight))
        let domain = catalog[index]
        let failing = random.chance(failureRate)
        let specs = failing ? domain.failures : domain.events
        let spec = specs[random.weightedIndex(specs.map(\.weight))]
        let aggregateID = aggregateID(domain: index)
        let eventID = spec.envelope == .stored || spec.envelope == .uiBridge ? SimulatedID.uuidV4(random: &random) : newID(at: time)
        let (correlation, causation) = correlation(for: eventID)

        var body: [SimulatedJSON.Member] = [.init("\(spec.aggregate)_id", .string(aggregateID))]
        for (name, values) in [random.pick(domain.attributes)] + (random.chance(0.5) ? [random.pick(domain.attributes)] : [])
        where !body.contains(where: { $0.key == name }) {
            body.append(.init(name, .string(random.pick(values))))
        }
        var headers: [SimulatedMessage.Header] = []
        if spec.isFailure {
            let kind = random.pick(spec.errorKinds)
            let text = SimulatedJSON.string(random.pick(Self.errorMessages))
            switch spec.errorStyle {
            case .kind: body.append(.init("error", ["kind": .string(kind), "message": text]))
            case .code: body.append(.init("error", ["code": .string(kind)]))
            case .typeField:
                body += [.init("error_type", .string(kind)), .init("error_message", text), .init("recoverable", .bool(random.chance(0.5)))]
            case .header:
                headers.append(.init("X-Error-Type", kind))
                body.append(.init("error", text))
            case .textOnly: body.append(.init("error", text))
            }
        }
        let event = SimulatedEventFacts(
            domain: domain.name,
            spec: spec,
            aggregateID: aggregateID,
            eventID: eventID,
            correlation: correlation,
            causation: causation,
            time: time,
            body: body
        )
        let payload = envelope(event, headers: &headers)
        let message = SimulatedMessage(
            subject: subject(event),
            headers: headers,
            payload: payload.bytes,
            kind: spec.isFailure ? .failure : .event
        )
        if !spec.isFailure && headers.isEmpty && spec.envelope == .standard { remember(retryable: message) }
        return message
    }

    func subject(_ event: SimulatedEventFacts) -> String {
        let spec = event.spec
        switch spec.shape {
        case .cimAggregate: return "cim.\(event.domain).events.\(spec.aggregate).\(spec.event)"
        case .cimEvent: return "cim.\(event.domain).events.\(spec.event)"
        case .domainAggregateID: return "\(event.domain).events.\(spec.aggregate).\(event.aggregateID).\(spec.event)"
        case .domainAggregate: return "\(event.domain).events.\(spec.aggregate).\(spec.event)"
        case .versioned: return "\(event.domain).\(spec.aggregate).\(spec.event).v1"
        case .eventStore: return "events.\(spec.aggregateType).\(event.aggregateID)"
        case .cimContext: return "cim.\(event.domain).\(spec.aggregate).\(spec.event)"
        case .contextID: return "\(event.domain).\(spec.aggregate).\(event.aggregateID).\(spec.event)"
        }
    }

    /// The payload in the spec's envelope; header-carried fields go into `headers`.
    mutating func envelope(_ event: SimulatedEventFacts, headers: inout [SimulatedMessage.Header]) -> SimulatedJSON {
        let spec = event.spec
        let body = SimulatedJSON.object(event.body)
        switch spec.envelope {
        case .standard:
            return [
                "event_id": .string(event.eventID), "aggregate_id": .string(event.aggregateID), "aggregate_type": .string(spec.aggregateType),
                "correlation_id": .string(event.correlation), "causation_id": .string(event.causation),
                "occurred_at": .string(event.time.rfc3339(fractionDigits: 3)), "payload": body,
            ]
        case .head:
            return [
                "event_id": .string(event.eventID), "aggregate_id": .string(event.aggregateID),
                "correlation_id": ["kind": "Single", "value": .string(event.correlation)], "causation_id": .string(event.causation),
                "payload_metadata": [
                    "source": .string(event.domain), "version": "v1", "properties": .object([]), "payload_type": .string(spec.typeName),
                ],
                "payload": ["kind": "Right", "value": body],
            ]
        case .stored:
            let tagged: SimulatedJSON = .object([.init(spec.typeName, body)])
            let sequence = nextSequence(of: event.aggregateID)
            let cid = SimulatedJSON.array([1, 85, 18, 32] + (0..<8).map { _ in SimulatedJSON.int(Int64(random.below(256))) })
            return [
                "stored_event": [
                    "event_id": .string(event.eventID), "aggregate_id": .string(event.aggregateID),
                    "aggregate_type": .string(spec.aggregateType), "sequence": .int(Int64(sequence)), "event": tagged,
                    "metadata": [
                        "correlation_id": .string(event.correlation), "causation_id": .string(event.causation),
                        "triggered_by": .string(random.pick(["ui", "api", "saga"])), "custom": .null,
                    ],
                    "stored_at": .string(event.time.rfc3339(fractionDigits: 9)),
                ],
                "event_with_cid": ["event": tagged, "cid": cid, "previous_cid": .null],
            ]
        case .agent:
            let sequence = nextSequence(of: event.aggregateID)
            var members: [SimulatedJSON.Member] = [
                .init("type", .string(spec.typeName)), .init("aggregate_id", .string(event.aggregateID)),
                .init("sequence", .int(Int64(sequence))),
            ]
            members += event.body.dropFirst()
            members += [
                .init("timestamp", .string(event.time.rfc3339(fractionDigits: 6))), .init("correlation_id", .string(event.correlation)),
                .init("causation_id", .string(event.causation)),
            ]
            return .object(members)
        case .systemTime:
            return [
                "event_id": .string(event.eventID), "correlation_id": ["Uuid": .string(event.correlation)],
                "causation_id": ["Uuid": .string(event.causation)], "occurred_at": event.time.systemTime,
                "metadata": ["source": .string(event.domain), "version": "v1", "propagation_scope": "Cluster", "properties": .object([])],
                "payload": body,
            ]
        case .unixSeconds:
            return .object(
                [
                    .init("event_id", .string(event.eventID)), .init("correlation_id", .string(event.correlation)),
                    .init("timestamp", .int(Int64(event.time.seconds.rounded(.down)))),
                ] + event.body
            )
        case .unixMillis:
            return [
                "event_id": .string(event.eventID), "aggregate_id": .string(event.aggregateID),
                "timestamp": .int(Int64(event.time.milliseconds)), "payload": body,
            ]
        case .uiBridge:
            return [
                "event_id": .string(event.eventID), "event_type": .string(spec.typeName),
                "timestamp": .string(event.time.rfc3339(fractionDigits: 6, offset: true)), "correlation_id": .string(event.correlation),
                "causation_id": event.causation == event.eventID ? .null : .string(event.causation), "payload": body,
            ]
        case .headerAliases:
            headers += [
                .init("x-event-id", event.eventID), .init("CIM-Correlation-Id", event.correlation),
                .init("x-timestamp", event.time.unixString(decimals: 3)),
            ]
            return body
        case .eventsModule:
            headers += [
                .init("X-Message-ID", event.eventID), .init("X-Correlation-ID", event.correlation),
                .init("X-Causation-ID", event.causation),
            ]
            let stamp = SimulatedJSON.string(event.time.rfc3339(fractionDigits: 6))
            return [
                "sequence": .int(Int64(nextSequence(of: event.aggregateID))), "aggregate_id": .string(event.aggregateID),
                "event_type": .string(spec.typeName), "event_data": body,
                "header": [
                    "message_id": .string(event.eventID), "correlation_id": .string(event.correlation),
                    "causation_id": .string(event.causation), "timestamp": stamp,
                ],
                "timestamp": stamp,
            ]
        case .conversation:
            return [
                "event_id": .string(event.eventID), "aggregate_id": .string(event.aggregateID), "aggregate_type": .string(spec.aggregateType),
                "timestamp": .string(event.time.rfc3339(fractionDigits: 9, offset: true)), "correlation_id": .string(event.correlation),
                "payload": body,
            ]
        case .plain:
            return .object(
                [.init("event_id", .string(event.eventID)), .init("created_at", .string(event.time.rfc3339(fractionDigits: 0)))] + event.body
            )
        }
    }
}

/// What a domain event is about, gathered before it is wrapped in an envelope.
struct SimulatedEventFacts {
    var domain: String
    var spec: SimulatedEventSpec
    var aggregateID: String
    var eventID: String
    var correlation: String
    var causation: String
    var time: SimulatedTimestamp
    /// The event's own fields: `<aggregate>_id` first, attributes, and a failure's error.
    var body: [SimulatedJSON.Member]
}
