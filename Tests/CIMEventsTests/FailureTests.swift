import Testing

@testable import CIMEvents

@Suite("Failures and error_type")
struct FailureTests {
    @Test(
        "error_type is the first error_type string or error object in document order",
        arguments: [
            (#"{"error_type":"RateLimited"}"#, "rate_limited"),
            (#"{"error":{"kind":"Validation","message":"free text"}}"#, "validation"),
            (#"{"error":{"type":"Io"}}"#, "io"),
            (#"{"error":{"code":"E_TIMEOUT"}}"#, "e_timeout"),
            (#"{"error":{"code":"C","type":"T","kind":"K"}}"#, "k"),
            (#"{"error":{"code":"C","type":"T"}}"#, "t"),
            (#"{"a":{"error_type":"First"},"error_type":"Second"}"#, "first"),
            (#"{"error":{"inner":{"error_type":"Inner"},"kind":"Outer"}}"#, "outer"),
            (#"{"error":{"inner":{"error_type":"Inner"}}}"#, "inner"),
            (#"{"error":{"error":{"kind":"Deep"}},"error_type":"Later"}"#, "deep"),
            (#"{"list":[{"error_type":"InArray"}]}"#, "in_array"),
            (#"{"error":"model unavailable"}"#, "unknown"),
            (#"{"error":{"message":"free text only"}}"#, "unknown"),
            (#"{"error_type":42,"error":{"kind":7}}"#, "unknown"),
            (#"{"error_type":null,"x":{"error_type":"Found"}}"#, "found"),
            (#"{"message":"Timeout","reason":"Crash"}"#, "unknown"),
            ("{}", "unknown"),
        ]
    )
    func errorType(_ payload: String, _ expected: String) {
        let event = mapEvent("cim.d.events.a.step_failed", payload: payload)
        #expect(event.failed)
        #expect(event.errorType == expected)
    }

    @Test("error_type is searched to depth 6 and no deeper")
    func depthLimit() {
        func nested(_ levels: Int) -> String {
            // `levels` objects deep: the error_type key is in the object at depth `levels`.
            String(repeating: #"{"n":"#, count: levels - 1) + #"{"error_type":"Deep"}"# + String(repeating: "}", count: levels - 1)
        }
        #expect(mapEvent("cim.d.events.a.failed", payload: nested(6)).errorType == "deep")
        #expect(mapEvent("cim.d.events.a.failed", payload: nested(7)).errorType == "unknown")
        let errorObject6 = String(repeating: #"{"n":"#, count: 5) + #"{"error":{"kind":"K"}}"# + String(repeating: "}", count: 5)
        #expect(mapEvent("cim.d.events.a.failed", payload: errorObject6).errorType == "k")
        let errorObject7 = String(repeating: #"{"n":"#, count: 6) + #"{"error":{"kind":"K"}}"# + String(repeating: "}", count: 6)
        #expect(mapEvent("cim.d.events.a.failed", payload: errorObject7).errorType == "unknown")
    }

    @Test("a non-failure has no error_type, whatever the payload says")
    func nonFailureHasNoErrorType() {
        let event = mapEvent("cim.d.events.a.completed", headers: [("X-Error-Type", "Boom")], payload: #"{"error_type":"Boom"}"#)
        #expect(!event.failed)
        #expect(event.errorType == nil)
    }

    @Test("the error_type header wins over the payload")
    func headerWins() {
        let event = mapEvent("cim.d.events.a.failed", headers: [("x-error-type", "Header")], payload: #"{"error_type":"Payload"}"#)
        #expect(event.errorType == "header")
    }

    @Test("an id-like error type is unknown")
    func idLikeErrorType() {
        #expect(mapEvent("cim.d.events.a.failed", payload: #"{"error_type":"0190f1a2-0001-4abc-8def-000000001eef"}"#).errorType == "unknown")
    }

    @Test("a failure with a bad payload still counts as a failure with error_type unknown")
    func badPayloadFailure() {
        let event = mapEvent("cim.d.events.a.failed", payload: "{oops")
        #expect(event.failed)
        #expect(event.errorType == "unknown")
        #expect(event.violations == .invalidJSON)
    }
}
