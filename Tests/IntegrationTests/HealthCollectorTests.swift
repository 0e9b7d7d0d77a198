import EventMetrics
import Foundation
import NATS
import NATSCore
import NATSHealth
import NATSTestSupport
import NIOCore
import Testing

/// The health collector in-process against a real 3-node cluster: values equal the servers' own, consumer lag in
/// seconds, stalls, both sources, hostile HTTP endpoints.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct HealthCollectorTests {
    /// `name{labels}` → value for every series of `families`.
    static func values(_ families: [MetricFamily]) -> [(name: String, labels: [String: String], value: Double)] {
        families.flatMap { family in
            family.series.compactMap { series -> (String, [String: String], Double)? in
                let labels = Dictionary(series.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
                switch series.value {
                case .count(let value): return (family.name, labels, Double(value))
                case .number(let value): return (family.name, labels, value)
                case .histogram: return nil
                }
            }
        }
    }

    static func value(_ families: [MetricFamily], _ name: String, _ labels: [String: String]) -> Double? {
        values(families).first { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }?.value
    }

    /// Every numeric leaf of a JSON document by its exporter path (`jetstream_config_max_storage`).
    static func leaves(_ value: JSONValue, path: String = "") -> [String: Double] {
        var result: [String: Double] = [:]
        switch value {
        case .object(let members):
            for member in members {
                let name = String(member.key.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
                result.merge(leaves(member.value, path: path.isEmpty ? name : path + "_" + name)) { first, _ in first }
            }
        case .number(let number):
            result[path] = number
        default:
            break
        }
        return result
    }

    /// Counters of /varz, which move between two reads: they may only have grown.
    static func isCounter(_ path: String) -> Bool {
        path.hasPrefix("in_") || path.hasPrefix("out_") || path.hasPrefix("slow_consumer") || path.hasPrefix("jetstream_stats_api_")
            || ["total_connections", "jetstream_stats_memory", "jetstream_stats_storage"].contains(path)
    }

    /// Fields that go up and down between two reads: the process's memory and CPU, and the subscriptions, which
    /// include the poll's own `$SYS` reply subscriptions while it runs.
    static let volatile: Set<String> = [
        "mem", "cpu", "subscriptions", "jetstream_meta_pending", "jetstream_stats_api_inflight", "jetstream_meta_snapshot_pending_entries",
        "jetstream_meta_snapshot_pending_size",
    ]

    @Test func exporterGaugesEqualTheServersOwnVarzAndJsz() async throws {
        try await withHealthCluster { bench in
            for index in 0..<5 { try await bench.jetStream.publish(ByteBuffer(string: "order \(index)"), to: "orders.new") }
            let collector = try bench.collector(source: "system")
            // The first poll learns the cluster; the second waits for every server it knows (on a loaded machine a
            // reply can come later than the first poll's quiet period).
            await collector.pollOnce()
            await collector.pollOnce()
            let families = collector.families()
            var compared = 0
            for server in bench.cluster.servers {
                let varzObject = try await NATSCluster.json(server, "/varz")
                let id = try #require(varzObject["server_id"] as? String)
                let raw = try await httpGet(port: server.monitorPort, path: "/varz")
                let truth = Self.leaves(try JSONParser.parse(raw.body))
                let mine = Self.values(families).filter {
                    $0.name.hasPrefix("nats_varz_") && $0.labels["server_id"] == id && $0.labels["value"] == nil
                }
                #expect(mine.count > 40, "only \(mine.count) varz gauges for \(server.name)")
                for sample in mine {
                    let path = String(sample.name.dropFirst("nats_varz_".count))
                    if path.hasPrefix("http_req_stats") || path == "start" || path == "config_load_time" { continue }
                    guard let expected = truth[path] else {
                        Issue.record("\(sample.name) is not a field of \(server.name)'s /varz")
                        continue
                    }
                    if Self.volatile.contains(path) { continue }
                    if Self.isCounter(path) {
                        #expect(sample.value <= expected, "\(sample.name) went backwards: \(sample.value) > \(expected)")
                    } else {
                        #expect(sample.value == expected, "\(sample.name) on \(server.name)")
                    }
                    compared += 1
                }
                let jsz = try await NATSCluster.json(server, "/jsz?accounts=true&streams=true&consumers=true&config=true")
                let serverLabels = ["server_id": id]
                #expect(Self.value(families, "nats_server_total_streams", serverLabels) == (jsz["streams"] as? NSNumber)?.doubleValue)
                #expect(Self.value(families, "nats_server_total_consumers", serverLabels) == (jsz["consumers"] as? NSNumber)?.doubleValue)
                #expect(Self.value(families, "nats_server_total_messages", serverLabels) == (jsz["messages"] as? NSNumber)?.doubleValue)
                let config = jsz["config"] as? [String: Any]
                #expect(Self.value(families, "nats_server_max_storage", serverLabels) == (config?["max_storage"] as? NSNumber)?.doubleValue)
                let accounts = jsz["account_details"] as? [[String: Any]] ?? []
                for account in accounts {
                    for stream in account["stream_detail"] as? [[String: Any]] ?? [] {
                        let name = stream["name"] as? String ?? ""
                        let state = stream["state"] as? [String: Any] ?? [:]
                        let labels = ["server_id": id, "stream_name": name]
                        #expect(Self.value(families, "nats_stream_total_messages", labels) == (state["messages"] as? NSNumber)?.doubleValue)
                        #expect(Self.value(families, "nats_stream_last_seq", labels) == (state["last_seq"] as? NSNumber)?.doubleValue)
                        #expect(Self.value(families, "nats_stream_consumer_count", labels) == (state["consumer_count"] as? NSNumber)?.doubleValue)
                        for consumer in stream["consumer_detail"] as? [[String: Any]] ?? [] {
                            let consumerLabels = labels.merging(["consumer_name": consumer["name"] as? String ?? ""]) { $1 }
                            #expect(
                                Self.value(families, "nats_consumer_num_pending", consumerLabels)
                                    == (consumer["num_pending"] as? NSNumber)?.doubleValue
                            )
                            let floor = (consumer["ack_floor"] as? [String: Any])?["stream_seq"] as? NSNumber
                            #expect(Self.value(families, "nats_consumer_ack_floor_stream_seq", consumerLabels) == floor?.doubleValue)
                            compared += 1
                        }
                    }
                }
            }
            await collector.close()
            #expect(compared > 120)
            // The ORDERS stream holds the 5 messages on all three replicas.
            #expect(
                Self.values(families).filter { $0.name == "nats_stream_total_messages" && $0.labels["stream_name"] == "ORDERS" }.map(\.value) == [
                    5, 5, 5,
                ]
            )
        }
    }

    @Test func bothSourcesGiveTheSameFamilies() async throws {
        try await withHealthCluster { bench in
            try await bench.jetStream.publish(ByteBuffer(string: "one"), to: "orders.new")
            let system = try bench.collector(source: "system")
            let http = try bench.collector(source: "http")
            await system.pollOnce()
            await http.pollOnce()
            await system.close()
            // /varz counts HTTP requests per path: only the HTTP source makes them, so those series differ by nature.
            let fromSystem = system.families().filter { !$0.series.isEmpty && !$0.name.hasPrefix("nats_varz_http_req_stats") }
            let fromHTTP = http.families().filter { !$0.series.isEmpty && !$0.name.hasPrefix("nats_varz_http_req_stats") }
            let systemNames = Set(fromSystem.map(\.name))
            let httpNames = Set(fromHTTP.map(\.name))
            #expect(
                systemNames == httpNames,
                "only system: \(systemNames.subtracting(httpNames).sorted()), only HTTP: \(httpNames.subtracting(systemNames).sorted())"
            )
            #expect(fromSystem.count > 100)
            // The same series (by labels) in the JetStream and cluster families.
            for name in [
                "nats_server_total_streams", "nats_stream_total_messages", "nats_consumer_num_pending", "cim_nats_server_up", "cim_nats_servers",
            ] {
                let left = Set(fromSystem.first { $0.name == name }?.series.map(\.labels) ?? [])
                let right = Set(fromHTTP.first { $0.name == name }?.series.map(\.labels) ?? [])
                #expect(left == right && !left.isEmpty, "\(name)")
            }
            #expect(Self.value(fromSystem, "cim_nats_servers", ["state": "up"]) == 3)
            #expect(Self.value(fromHTTP, "cim_nats_servers", ["state": "up"]) == 3)
        }
    }

    @Test func consumerLagInSecondsIsTheAgeOfTheOldestUnacknowledgedMessageAndStallsAreReported() async throws {
        try await withHealthCluster { bench in
            let events = EventLog()
            let collector = try bench.collector(source: "system", stallPolls: 2, events: events)
            await collector.pollOnce()
            let worker = ["stream": "ORDERS", "consumer": "worker"]
            #expect(Self.value(collector.families(), "cim_nats_consumer_lag_seconds", worker) == 0)
            let before = Date().timeIntervalSince1970
            try await bench.jetStream.publish(ByteBuffer(string: "first"), to: "orders.new")
            let after = Date().timeIntervalSince1970
            try await Task.sleep(for: .seconds(2))
            try await bench.jetStream.publish(ByteBuffer(string: "second"), to: "orders.new")
            let pollStart = Date().timeIntervalSince1970
            await collector.pollOnce()
            let pollEnd = Date().timeIntervalSince1970
            let lag = try #require(Self.value(collector.families(), "cim_nats_consumer_lag_seconds", worker))
            #expect(lag >= pollStart - after - 1 && lag <= pollEnd - before + 1, "lag \(lag), stored \(pollStart - after)…\(pollEnd - before) s ago")
            #expect(lag >= 1.5)
            #expect(Self.value(collector.families(), "cim_nats_consumer_pending_messages", worker) == 2)

            // Delivered and never acknowledged: the ack floor stays, the consumer stalls after two polls.
            let consumer = bench.jetStream.pullConsumer(stream: "ORDERS", name: "worker")
            let delivered = try await consumer.fetch(batch: 1, expires: 2)
            #expect(delivered.count == 1)
            // Pending since the last poll: one more poll with the floor unmoved is not yet two.
            await collector.pollOnce()
            let stalledWorker = { events.all.filter { $0.name == "consumer_stalled" && $0.details["consumer"] == "worker" }.count }
            #expect(stalledWorker() == 0)
            await collector.pollOnce()
            #expect(stalledWorker() == 1)
            #expect(Self.value(collector.families(), "cim_nats_consumer_stalled", worker) == 1)
            #expect(Self.value(collector.families(), "cim_nats_consumer_ack_pending_messages", worker) == 1)
            // The idle consumer has the same messages pending but nothing delivered: its floor is 0 and pending > 0,
            // so it stalls too; a consumer with nothing pending never does.
            for message in delivered { try await message.ack() }
            try await Task.sleep(for: .milliseconds(300))
            await collector.pollOnce()
            #expect(events.all.filter { $0.name == "consumer_recovered" }.map { $0.details["consumer"] } == ["worker"])
            // The idle consumer, with the same messages pending and nothing acknowledged, is stalled and stays so.
            #expect(Self.value(collector.families(), "cim_nats_consumer_stalled", ["stream": "ORDERS", "consumer": "idle"]) == 1)
            #expect(Self.value(collector.families(), "cim_nats_consumer_stalled", worker) == 0)
            await collector.close()
        }
    }

    @Test func hostileMonitoringEndpointsAreCountedAndTheOthersStillReported() async throws {
        try await withHealthCluster { bench in
            let garbage = ScriptedServer(greeting: "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n<html>oops</>", closeAfterGreeting: true)
            let truncated = ScriptedServer(
                greeting: "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"server_id\":\"NFAKE\",\"conn",
                closeAfterGreeting: true
            )
            let failing = ScriptedServer(greeting: "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\nerror", closeAfterGreeting: true)
            let silent = ScriptedServer(greeting: "")
            let huge = ScriptedServer(
                greeting: "HTTP/1.1 200 OK\r\nContent-Length: 62\r\n\r\n{\"server_id\":\"NHUGE\",\"server_name\":\"huge\",\"connections\":1e999}",
                closeAfterGreeting: true
            )
            defer {
                for fake in [garbage, truncated, failing, silent, huge] { fake.stop() }
            }
            var settings = HealthSettings()
            settings.interval = 1
            let fakes = [garbage, truncated, failing, silent, huge].map { "http://127.0.0.1:\($0.port)" }
            settings.monitorURLs = [bench.cluster.servers[0].monitorURL] + fakes
            let collector = try HealthCollector(settings: settings, systemOptions: nil, jetStream: nil, publish: { _ in })
            let start = ContinuousClock.now
            await collector.pollOnce()
            #expect(ContinuousClock.now - start < .seconds(5))
            let families = collector.families()
            let errors = Self.values(families).filter { $0.name == "cim_nats_health_poll_errors_total" }
            let reasons = Set(errors.map { $0.labels["reason"] ?? "" })
            #expect(reasons.isSuperset(of: ["invalid_json", "truncated", "http_status", "timeout"]), "\(reasons)")
            #expect(Self.value(families, "cim_nats_server_up", ["server_name": bench.cluster.servers[0].name]) == 1)
            #expect(Self.value(families, "nats_varz_connections", ["server_id": "NHUGE"]) == nil)
            #expect(Self.value(families, "cim_nats_server_up", ["server_name": "huge"]) == 1)
            for url in fakes.dropLast() {
                #expect(Self.value(families, "cim_nats_server_up", ["server_name": url]) == 0, "\(url)")
            }
            #expect(Self.value(families, "nats_server_total_streams", [:]) != nil)
            for format in ExpositionFormat.allCases { _ = try format.render(families) }
        }
    }
}
