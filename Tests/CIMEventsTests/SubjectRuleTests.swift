import Testing

@testable import CIMEvents

@Suite("Config subject rules")
struct SubjectRuleTests {
    @Test("a template takes labels from its placeholders and fixed values, before the built-in profile")
    func placeholdersAndFixedValues() throws {
        let rule = try SubjectRule(subject: "orders.{domain}.{event_type}", aggregateType: "Order")
        #expect(rule.aggregateType == "order")
        let event = mapEvent("orders.Shop.OrderPlaced", payload: #"{"aggregate_type":"Ignored"}"#, rules: [rule])
        #expect((event.domain, event.aggregateType, event.eventType) == ("shop", "order", "order_placed"))
    }

    @Test("fields neither in the template nor fixed come from the payload, domain else unknown")
    func fallBackToPayload() throws {
        let rule = try SubjectRule(subject: "orders.{_}.>")
        let event = mapEvent("orders.x.y.z", payload: #"{"aggregate_type":"Order","type":"OrderShipped"}"#, rules: [rule])
        #expect((event.domain, event.aggregateType, event.eventType) == ("unknown", "order", "order_shipped"))
        let fixed = try SubjectRule(subject: "orders.>", domain: "Sales")
        #expect(mapEvent("orders.a", payload: "{}", rules: [fixed]).domain == "sales")
    }

    @Test(
        "matching follows the template token by token",
        arguments: [
            ("shop.{domain}.{aggregate_type}.{event_type}", "shop.d.a.e", true),
            ("shop.{domain}.{aggregate_type}.{event_type}", "shop.d.a", false),
            ("shop.{domain}.{aggregate_type}.{event_type}", "shop.d.a.e.x", false),
            ("shop.{domain}.{aggregate_type}.{event_type}", "Shop.d.a.e", false),
            ("shop.*.{event_type}", "shop.anything.e", true),
            ("shop.{*}.{event_type}", "shop.anything.e", true),
            ("shop.{_}.{event_type}", "shop..e", true),
            ("shop.{event_type}.>", "shop.e.x", true),
            ("shop.{event_type}.>", "shop.e.x.y.z", true),
            ("shop.{event_type}.>", "shop.e", false),
            (">", "anything.at.all", true),
            ("{domain}", "one", true),
            ("{domain}", "one.two", false),
        ]
    )
    func matching(_ template: String, _ subject: String, _ matches: Bool) throws {
        let rule = try SubjectRule(subject: template)
        let planned = Array(subject.utf8).withUnsafeBytes { rule.plan($0) != nil }
        #expect(planned == matches)
    }

    @Test("the first matching rule wins; unmatched subjects fall through to the cim profile")
    func ruleOrder() throws {
        let rules = [
            try SubjectRule(subject: "orders.{event_type}", domain: "first"),
            try SubjectRule(subject: "orders.{event_type}", domain: "second"),
            try SubjectRule(subject: "billing.{event_type}", domain: "billing"),
        ]
        #expect(mapEvent("orders.placed", rules: rules).domain == "first")
        #expect(mapEvent("billing.paid", rules: rules).domain == "billing")
        let profile = mapEvent("cim.graph.events.structure.node_added", rules: rules)
        #expect((profile.domain, profile.aggregateType, profile.eventType) == ("graph", "structure", "node_added"))
    }

    @Test("the X-Event-Type header still wins over a rule's event type")
    func headerWins() throws {
        let rule = try SubjectRule(subject: "orders.{domain}.{aggregate_type}", eventType: "FixedType")
        #expect(rule.eventType == "fixed_type")
        #expect(mapEvent("orders.d.a", rules: [rule]).eventType == "fixed_type")
        #expect(mapEvent("orders.d.a", headers: [("X-Event-Type", "OrderFailed")], rules: [rule]).eventType == "order_failed")
    }

    @Test("values from rules are normalised, and classified as failures")
    func ruleValuesNormalised() throws {
        let rule = try SubjectRule(subject: "jobs.{domain}", aggregateType: "6f1c2d3e-0000-4000-8000-00000000abcd", eventType: "JobCrashed")
        let event = mapEvent("jobs.Batch-Runner", rules: [rule])
        #expect((event.domain, event.aggregateType, event.eventType) == ("batch_runner", "unknown", "job_crashed"))
        #expect(event.failed)
        #expect(event.errorType == "unknown")
    }

    @Test(
        "invalid templates throw a typed error with a one-line message",
        arguments: [
            ("", SubjectRuleError.Code.emptyTemplate),
            ("orders..{event_type}", .emptyToken),
            (".orders", .emptyToken),
            ("orders.", .emptyToken),
            ("orders.{event}", .unknownPlaceholder),
            ("orders.{aggregate_id}", .unknownPlaceholder),
            ("orders.{domain}.{domain}", .duplicatePlaceholder),
            ("orders.>.{event_type}", .misplacedWildcard),
            ("orders.x{domain}", .invalidToken),
            ("orders.{domain", .invalidToken),
            ("orders.a*", .invalidToken),
            ("orders.a>", .invalidToken),
            ("orders.my event", .invalidToken),
        ]
    )
    func invalidTemplates(_ template: String, _ code: SubjectRuleError.Code) {
        #expect {
            _ = try SubjectRule(subject: template)
        } throws: { error in
            guard let error = error as? SubjectRuleError else { return false }
            return error.code == code && !error.description.contains("\n") && error.description.contains("invalid subject template")
        }
    }

    @Test("a field may not be both a placeholder and fixed")
    func conflictingValue() {
        #expect(throws: SubjectRuleError.self) {
            try SubjectRule(subject: "orders.{domain}", domain: "Sales")
        }
        do {
            _ = try SubjectRule(subject: "orders.{event_type}", eventType: "X")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .conflictingValue)
            #expect(
                error.description
                    == #"invalid subject template "orders.{event_type}": {event_type} is in the template and also given a fixed value; keep one"#
            )
        }
    }

    @Test("rules compare by template and values")
    func equality() throws {
        #expect(try SubjectRule(subject: "a.{domain}") == SubjectRule(subject: "a.{domain}"))
        #expect(try SubjectRule(subject: "a.{domain}") != SubjectRule(subject: "a.{domain}", aggregateType: "x"))
    }
}
