import CIMEvents
import EventMetrics
import Monitor
import Testing

@Suite struct ConfigurationTests {
    /// A well-formed bcrypt hash (cost 12) of a password nobody uses.
    static let hash = "$2b$12$" + String(repeating: "x", count: 22) + String(repeating: "y", count: 31)

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
                  basic_auth_users: {prometheus: "\(Self.hash)"}
                  protect_health: true
                """
        )
        #expect(configuration.servers == ["nats://a:4222", "nats://b:4222"])
        #expect(configuration.streams == ["CIM_EVENTS"])
        #expect(configuration.subjects == ["cim.>", "events.>"])
        #expect(configuration.maxPayloadBytes == 2048)
        #expect(configuration.rules == [try SubjectRule(subject: "orders.{domain}.{event_type}", aggregateType: "order")])
        #expect(configuration.limits.domain == 10 && configuration.limits.eventType == 50)
        #expect(configuration.listen == "127.0.0.1:9999")
        #expect(configuration.basicAuthUsers == ["prometheus": Self.hash])
        #expect(configuration.protectHealth)
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
        ("nats: [a]", "nats must be a mapping"),
        ("subjects: []", "subjects is empty"),
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

    @Test func basicAuthUserTypoIsAnErrorNamingTheKeyAndItsLine() {
        #expect(
            throws: ConfigurationError("monitor.yaml:3: unknown key `http.basic_auth_user`; did you mean `basic_auth_users`?")
        ) {
            _ = try MonitorConfiguration(
                yaml: """
                    http:
                      listen: "127.0.0.1:9999"
                      basic_auth_user: {prometheus: "\(Self.hash)"}
                    """,
                source: "monitor.yaml"
            )
        }
    }

    @Test(arguments: [
        ("subject: [\"cim.>\"]", "monitor.yaml:1: unknown key `subject`; did you mean `subjects`?"),
        ("nats:\n  server: [a]", "monitor.yaml:2: unknown key `nats.server`; did you mean `servers`?"),
        ("mapping:\n  max_payload: 5", "monitor.yaml:2: unknown key `mapping.max_payload`"),
        ("mapping:\n  rules:\n    - subject: a.b\n      aggregate: x", "monitor.yaml:4: unknown key `mapping.rules.aggregate`"),
        ("cardinality:\n  domains: 5", "monitor.yaml:2: unknown key `cardinality.domains`; did you mean `domain`?"),
        ("http:\n  tls: {cert_file: a, key: b}", "monitor.yaml:2: unknown key `http.tls.key`"),
        ("http:\n  protect_healthz: true", "monitor.yaml:2: unknown key `http.protect_healthz`; did you mean `protect_health`?"),
        ("telemetry: {}", "monitor.yaml:1: unknown key `telemetry`"),
    ])
    func unknownKeysAtAnyLevelAreErrors(_ yaml: String, _ expected: String) {
        #expect(throws: ConfigurationError(expected)) { _ = try MonitorConfiguration(yaml: yaml, source: "monitor.yaml") }
    }

    @Test(arguments: [
        ("cardinality:\n  domain: 0", "monitor.yaml:2: cardinality.domain is 0; it must be at least 1"),
        ("cardinality:\n  event_type: -5", "monitor.yaml:2: cardinality.event_type is -5; it must be at least 1"),
        ("cardinality:\n  series_per_family: 0", "monitor.yaml:2: cardinality.series_per_family is 0; it must be at least 1"),
        ("mapping:\n  max_payload_bytes: 0", "monitor.yaml:2: mapping.max_payload_bytes is 0; it must be at least 1"),
        ("mapping:\n  max_payload_bytes: -1", "monitor.yaml:2: mapping.max_payload_bytes is -1; it must be at least 1"),
        ("http:\n  listen: \"127.0.0.1:70000\"", "monitor.yaml:2: http.listen 127.0.0.1:70000 has port 70000; the port must be 0 to 65535"),
        ("http:\n  protect_health: maybe", "monitor.yaml:2: http.protect_health must be true or false"),
    ])
    func valuesAreRangeChecked(_ yaml: String, _ expected: String) {
        #expect(throws: ConfigurationError(expected)) { _ = try MonitorConfiguration(yaml: yaml, source: "monitor.yaml") }
    }

    @Test(arguments: [
        ("streams: [a, b\nsubjects: [c]", "monitor.yaml:2:"),
        ("http:\n  listen: a\n   tls: b", "monitor.yaml:3:"),
        ("nats:\n  servers: [a]\nnats:\n  servers: [b]", "monitor.yaml:"),
    ])
    func yamlSyntaxErrorsCarryALineNumber(_ yaml: String, _ prefix: String) {
        #expect {
            _ = try MonitorConfiguration(yaml: yaml, source: "monitor.yaml")
        } throws: { error in
            "\(error)".hasPrefix(prefix) && !"\(error)".contains("\n")
        }
    }

    @Test(arguments: [
        ("$2b$31$" + String(repeating: "a", count: 53), "has bcrypt cost 31; the cost must be 4 to 14"),
        ("$2b$12$abc", "is not a bcrypt hash"),
    ])
    func unusableHashesAreRefusedNamingTheUserNotTheHash(_ hash: String, _ problem: String) {
        #expect {
            _ = try MonitorConfiguration(yaml: "http:\n  basic_auth_users:\n    ok: \"\(Self.hash)\"\n    grafana: \"\(hash)\"", source: "m.yaml")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("m.yaml:4: http.basic_auth_users: the hash of user grafana \(problem)") && !text.contains(hash)
        }
    }

    @Test func anEmptyFileMeansTheDefaults() throws {
        #expect(try MonitorConfiguration(yaml: "") == MonitorConfiguration())
        #expect(try MonitorConfiguration(yaml: "# nothing yet\nhttp:\n") == MonitorConfiguration())
    }
}
