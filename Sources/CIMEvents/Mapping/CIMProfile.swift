/// The built-in `cim` profile: the nine subject shapes of the spec (`Tests/Fixtures/README.md`,
/// "Subject rules"), tried in order; the first that matches decides where the labels come from.
enum CIMProfile {
    static let workflow = Label(value: "workflow", isFailure: false)

    static func plan(_ subject: UnsafeRawBufferPointer, _ t: SubjectTokens) -> LabelPlan {
        let n = t.count
        func token(_ i: Int, is literal: StaticString) -> Bool { subject.slice(t[i]).equals(literal) }
        let cim = token(0, is: "cim")
        if n == 5, cim, token(2, is: "events") {
            return LabelPlan(domain: .token(t[1]), aggregateType: .token(t[3]), eventType: .token(t[4]))
        }
        if n == 4, cim, token(2, is: "events") {
            return LabelPlan(domain: .token(t[1]), aggregateType: .payload, eventType: .token(t[3]))
        }
        if n == 4, token(0, is: "events"), token(1, is: "workflow") {
            return LabelPlan(domain: .fixed(workflow), aggregateType: .fixed(workflow), eventType: .token(t[3]))
        }
        if n == 3, token(0, is: "events") {
            return LabelPlan(domain: .token(t[1]), aggregateType: .payloadOrToken(t[1]), eventType: .payload)
        }
        if n == 5, token(1, is: "events") {
            return LabelPlan(domain: .token(t[0]), aggregateType: .token(t[2]), eventType: .token(t[4]))
        }
        if n == 4, token(1, is: "events") {
            return LabelPlan(domain: .token(t[0]), aggregateType: .token(t[2]), eventType: .token(t[3]))
        }
        if n == 4, isVersion(subject.slice(t[3])) {
            return LabelPlan(domain: .token(t[0]), aggregateType: .token(t[1]), eventType: .token(t[2]))
        }
        if n >= 3, cim {
            return LabelPlan(domain: .token(t[1]), aggregateType: n >= 4 ? .token(t[2]) : .payload, eventType: .token(t.last))
        }
        return LabelPlan(domain: .token(t[0]), aggregateType: n >= 3 ? .token(t[1]) : .payload, eventType: .token(t.last))
    }

    /// `v` followed by one or more digits.
    static func isVersion(_ token: UnsafeRawBufferPointer) -> Bool {
        token.count >= 2 && token[0] == UInt8(ascii: "v") && token.dropFirst().allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
    }
}
