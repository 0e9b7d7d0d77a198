// libFuzzer harness for the CIM event mapper. Compiled by `scripts/fuzz` together with the CIMEvents sources
// (`swiftc -sanitize=fuzzer,address -parse-as-library`), so it sees their internal API.
//
// Input: `subject NUL headers NUL payload` (a missing part is empty; the payload keeps any further NULs).
// Checked for every input, besides "never crashes":
// - every label (domain, aggregate type, event type, error type) is `^[a-z0-9_]{1,64}$` with no leading, trailing
//   or doubled `_`, is not identifier-shaped, or is `unknown` / `__overflow__`;
// - `failed` agrees with the event type and `errorType` is present exactly for failures;
// - an event time lies in `EventTimeWindow` (finite, not before 2000); an empty payload records `empty`;
// - a mapper with a warm label cache (shared across inputs) gives the same event as a fresh one.

/// Shared across inputs so that the label cache fills up, collides and reaches its capacity.
nonisolated(unsafe) private var warmMapper = EventMapper(rules: fuzzRules)
nonisolated(unsafe) private var warmProfileMapper = EventMapper()

/// A few config rules, so the rule matcher is fuzzed too.
private let fuzzRules: [SubjectRule] = [
    try! SubjectRule(subject: "orders.{domain}.{event_type}", aggregateType: "Order"),
    try! SubjectRule(subject: "x.*.{aggregate_type}.{event_type}.>", domain: "X Domain"),
    try! SubjectRule(subject: "{domain}.{_}.{aggregate_type}"),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func eventMapperFuzzTest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    let (subject, headers, payload) = splitParts(input)

    let event = warmProfileMapper.map(subject: subject, headers: headers, payload: payload)
    var fresh = EventMapper()
    let freshEvent = fresh.map(subject: subject, headers: headers, payload: payload)
    checkEvent(event, payload: payload)
    check(sameEvent(event, freshEvent), "a warm label cache changed the event: \(event) vs \(freshEvent)")

    let ruled = warmMapper.map(subject: subject, headers: headers, payload: payload)
    checkEvent(ruled, payload: payload)
    return 0
}

/// Splits at the first two NUL bytes.
private func splitParts(_ input: UnsafeRawBufferPointer) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer) {
    let empty = UnsafeRawBufferPointer(rebasing: input[0..<0])
    guard let first = input.firstIndex(of: 0) else { return (input, empty, empty) }
    let subject = UnsafeRawBufferPointer(rebasing: input[..<first])
    let rest = UnsafeRawBufferPointer(rebasing: input[(first + 1)...])
    guard let second = rest.firstIndex(of: 0) else { return (subject, rest, empty) }
    return (subject, UnsafeRawBufferPointer(rebasing: rest[..<second]), UnsafeRawBufferPointer(rebasing: rest[(second + 1)...]))
}

private func checkEvent(_ event: Event, payload: UnsafeRawBufferPointer) {
    checkLabel(event.domain, "domain")
    checkLabel(event.aggregateType, "aggregate type")
    checkLabel(event.eventType, "event type")
    if let errorType = event.errorType { checkLabel(errorType, "error type") }
    var eventType = event.eventType
    let namesFailure = eventType.withUTF8 { LabelNormaliser.namesFailure(UnsafeRawBufferPointer($0)) }
    check(event.failed == namesFailure, "failed is \(event.failed) for event type \(event.eventType.debugDescription)")
    check((event.errorType != nil) == event.failed, "error type \(String(describing: event.errorType)) with failed \(event.failed)")
    if let time = event.time { check(EventTimeWindow.contains(time, reference: nil), "event time \(time) is out of range") }
    check(payload.isEmpty == event.violations.contains(.empty), "empty payload and violations \(event.violations.reasons) disagree")
}

/// A label is `unknown`, `__overflow__`, or normalised snake_case as the spec defines it.
private func checkLabel(_ value: String, _ what: String) {
    if value == "unknown" || value == "__overflow__" { return }
    let bytes = Array(value.utf8)
    let shaped =
        (1...64).contains(bytes.count)
        && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    check(shaped, "\(what) label \(value.debugDescription) is not [a-z0-9_]{1,64}")
    check(bytes.first != 0x5F && bytes.last != 0x5F, "\(what) label \(value.debugDescription) has a leading or trailing '_'")
    check(!value.contains("__"), "\(what) label \(value.debugDescription) has a run of '_'")
    let identifier = bytes.withUnsafeBytes { LabelNormaliser.isIdentifier($0) }
    check(!identifier, "\(what) label \(value.debugDescription) is identifier-shaped")
}

/// `Event` equality, treating the time as equal when both are the same bit pattern (NaN included).
private func sameEvent(_ a: Event, _ b: Event) -> Bool {
    var a = a
    var b = b
    guard a.time?.bitPattern == b.time?.bitPattern else { return false }
    a.time = nil
    b.time = nil
    return a == b
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz invariant violated: \(message())") }
}
