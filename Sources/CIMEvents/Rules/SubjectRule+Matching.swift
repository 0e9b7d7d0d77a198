extension SubjectRule {
    /// The label plan for `subject`, or `nil` when the rule does not match it.
    func plan(_ subject: UnsafeRawBufferPointer) -> LabelPlan? {
        var domain: ByteSpan?
        var aggregateType: ByteSpan?
        var eventType: ByteSpan?
        var start = 0
        var exhausted = false
        for token in tokens {
            guard !exhausted else { return nil }
            if token == .rest { return makePlan(domain, aggregateType, eventType) }
            var end = start
            while end < subject.count, subject[end] != UInt8(ascii: ".") { end += 1 }
            let span = ByteSpan(start: start, end: end)
            switch token {
            case .literal(let literal):
                guard subject.slice(span).elementsEqual(literal) else { return nil }
            case .field(.domain): domain = span
            case .field(.aggregateType): aggregateType = span
            case .field(.eventType): eventType = span
            case .any, .rest: break
            }
            exhausted = end == subject.count
            start = end + 1
        }
        return exhausted ? makePlan(domain, aggregateType, eventType) : nil
    }

    private func makePlan(_ domain: ByteSpan?, _ aggregateType: ByteSpan?, _ eventType: ByteSpan?) -> LabelPlan {
        func source(_ span: ByteSpan?, _ fixed: Label?) -> LabelPlan.Source {
            if let span { return .token(span) }
            if let fixed { return .fixed(fixed) }
            return .payload
        }
        return LabelPlan(
            domain: source(domain, fixedDomain),
            aggregateType: source(aggregateType, fixedAggregateType),
            eventType: source(eventType, fixedEventType)
        )
    }
}
