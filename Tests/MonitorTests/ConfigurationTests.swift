import CIMEvents
import EventMetrics
import Monitor
import Testing

@Suite struct ConfigurationTests {
    @Test func readsEverySection() throws {
        let configuration = try MonitorConfiguration(
            yaml: """
                nats:
                  servers: ["nats://a:4222", "nats://b:4222"]
                streams: [CIM_EVENTS]
                subjects: ["cim.>", "events.>"]
                mapping:
                  max_payload_bytes: 2048
                  rules:
                    - subject: "orders.{domain}.{event_type}"
                      aggregate_type: order
                cardinality:
                  domain: 10
                  event_type: 50
                http:
                  listen: "127.0.0.1:9999"
                  basic_auth_users: {prometheus: "$2b$12$abc"}
                """
        )
        #expect(configuration.servers == ["nats://a:4222", "nats://b:4222"])
        #expect(configuration.streams == ["CIM_EVENTS"])
        #expect(configuration.subjects == ["cim.>", "events.>"])
        #expect(configuration.maxPayloadBytes == 2048)
        #expect(configuration.rules == [try SubjectRule(subject: "orders.{domain}.{event_type}", aggregateType: "order")])
        #expect(configuration.limits.domain == 10 && configuration.limits.eventType == 50)
        #expect(configuration.listen == "127.0.0.1:9999")
        #expect(configuration.basicAuthUsers == ["prometheus": "$2b$12$abc"])
    }

    @Test func rulesFromTheConfigAreTriedFirst() throws {
        let configuration = try MonitorConfiguration(
            yaml: """
                mapping:
                  rules:
                    - subject: "orders.{domain}.{event_type}"
                      aggregate_type: order
                """
        )
        var mapper = EventMapper(rules: configuration.rules)
        let event = mapper.map(subject: "orders.shop.OrderPlaced", headers: [], payload: Array("{}".utf8))
        #expect(event.domain == "shop" && event.aggregateType == "order" && event.eventType == "order_placed")
    }

    @Test(arguments: [
        ("streams: 5", "streams"),
        ("mapping: {rules: [{subject: \"a.{nope}\"}]}", "mapping rule 1"),
        ("http: {tls: {cert_file: x.pem}}", "cert_file and key_file"),
        ("cardinality: {domain: many}", "cardinality.domain"),
    ])
    func badFilesSayWhatIsWrong(_ yaml: String, _ mentioned: String) {
        #expect {
            _ = try MonitorConfiguration(yaml: yaml, source: "monitor.yaml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("monitor.yaml") && text.contains(mentioned) && !text.contains("\n")
        }
    }

    @Test func aMissingFileIsAClearError() {
        #expect(throws: ConfigurationError("cannot read the config file does-not-exist.yaml")) {
            _ = try MonitorConfiguration(contentsOf: "does-not-exist.yaml")
        }
    }
}
