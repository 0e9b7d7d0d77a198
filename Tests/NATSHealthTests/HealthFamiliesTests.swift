import EventMetrics
import NATSHealth
import Testing

@Suite struct HealthFamiliesTests {
    static let varz = #"""
        {"server_id":"NSRV","server_name":"n1","version":"2.15.1","start":"2026-12-01T17:00:00Z","now":"2026-12-01T17:00:10Z",
         "uptime":"10s","connections":4,"in_msgs":100,"out_msgs":200,"mem":12345,"cpu":1.5,"auth_required":true,"connect_urls":["a"],
         "cluster":{"name":"cim","tls_timeout":2,"cluster_port":6222,"urls":["x"]},"leaf":{"port":7422},
         "jetstream":{"config":{"max_memory":1024,"max_storage":4096},"stats":{"storage":100,"memory":0},"meta":{"leader":"n1","cluster_size":3}},
         "http_req_stats":{"/varz":3},"huge":1e400}
        """#

    static func sample(_ families: [MetricFamily], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        guard let family = families.first(where: { $0.name == name }) else { return nil }
        let series = family.series.first { series in labels.allSatisfy { key, value in series.labels.contains(MetricLabel(key, value)) } }
        switch series?.value {
        case .count(let value)?: return Double(value)
        case .number(let value)?: return value
        default: return nil
        }
    }

    @Test func varzIsFlattenedAsTheExporterDoes() throws {
        var snapshot = ServerSnapshot(identity: ServerIdentity(id: "NSRV", name: "n1", cluster: "cim"))
        snapshot.varz = try JSONParser.parse(Self.varz)
        let families = HealthFamilies.render(snapshots: [snapshot], view: ClusterView(), statistics: PollStatistics())
        let names = Set(families.map(\.name))
        #expect(Self.sample(families, "nats_varz_connections", ["server_id": "NSRV"]) == 4)
        #expect(Self.sample(families, "nats_varz_cpu") == 1.5)
        #expect(Self.sample(families, "nats_varz_jetstream_config_max_storage") == 4096)
        #expect(Self.sample(families, "nats_varz_jetstream_stats_storage") == 100)
        #expect(Self.sample(families, "nats_varz_jetstream_meta_cluster_size") == 3)
        #expect(Self.sample(families, "nats_varz_version", ["value": "2.15.1"]) == 1)
        #expect(Self.sample(families, "nats_varz_jetstream_meta_leader", ["value": "n1"]) == 1)
        #expect(Self.sample(families, "nats_varz_start") == 1_796_144_400_000)
        #expect(Self.sample(families, "nats_varz_http_req_stats__varz") == 3)
        // Skipped keys, arrays, booleans, non-listed strings, and a number that does not fit are absent.
        for absent in [
            "nats_varz_cluster_tls_timeout", "nats_varz_cluster_cluster_port", "nats_varz_leaf_port", "nats_varz_auth_required",
            "nats_varz_connect_urls", "nats_varz_uptime", "nats_varz_huge", "nats_varz_now",
        ] {
            #expect(!names.contains(absent), "\(absent)")
        }
        // Everything renders in both formats.
        for format in ExpositionFormat.allCases { _ = try format.render(families) }
    }

    @Test func jszGivesServerAccountStreamAndConsumerFamiliesWithTheExporterLabels() throws {
        let snapshot = Snapshots.server("n1", metaLeader: "n1", streams: [("ORDERS", "n1", [("worker", 5, 3, 1)])])
        let families = HealthFamilies.render(snapshots: [snapshot], view: ClusterView(), statistics: PollStatistics())
        let server = ["server_id": "ID_n1", "server_name": "n1", "cluster": "cim", "meta_leader": "n1", "is_meta_leader": "true"]
        #expect(Self.sample(families, "nats_server_max_storage", server) == 4096)
        #expect(Self.sample(families, "nats_server_total_streams", server) == 1)
        #expect(Self.sample(families, "nats_account_storage_used", ["account": "APP", "account_name": "APP", "account_id": "APP"]) == 100)
        let stream = ["stream_name": "ORDERS", "stream_leader": "n1", "is_stream_leader": "true"]
        #expect(Self.sample(families, "nats_stream_total_messages", stream) == 10)
        #expect(Self.sample(families, "nats_stream_consumer_count", stream) == 1)
        #expect(Self.sample(families, "nats_stream_limit_bytes", stream) == -1)
        let consumer = ["consumer_name": "worker", "consumer_leader": "n1", "is_consumer_leader": "true", "stream_name": "ORDERS"]
        #expect(Self.sample(families, "nats_consumer_num_pending", consumer) == 3)
        #expect(Self.sample(families, "nats_consumer_num_ack_pending", consumer) == 1)
        #expect(Self.sample(families, "nats_consumer_ack_floor_stream_seq", consumer) == 5)
        #expect(families.first { $0.name == "nats_stream_consumer_count" }?.type == .gauge)
        for format in ExpositionFormat.allCases { _ = try format.render(families) }
    }

    @Test func connzSumsTheListedConnectionsAndHealthzIsZeroWhenOK() throws {
        var snapshot = ServerSnapshot(identity: ServerIdentity(id: "NSRV", name: "n1"))
        snapshot.connz = try JSONParser.parse(
            #"{"server_id":"NSRV","num_connections":2,"total":2,"offset":0,"limit":1024,"connections":[{"in_msgs":3,"out_msgs":1,"pending_bytes":0,"subscriptions":2},{"in_msgs":4,"out_msgs":-1,"subscriptions":1}]}"#
        )
        snapshot.healthStatus = "ok"
        let families = HealthFamilies.render(snapshots: [snapshot], view: ClusterView(), statistics: PollStatistics())
        #expect(Self.sample(families, "nats_connz_total") == 2)
        #expect(Self.sample(families, "nats_connz_in_msgs") == 7)
        #expect(Self.sample(families, "nats_connz_out_msgs") == 1)  // the negative value is not counted
        #expect(Self.sample(families, "nats_connz_subscriptions") == 3)
        #expect(Self.sample(families, "nats_healthz_status") == 0)
        #expect(Self.sample(families, "nats_healthz_status_value", ["value": "ok"]) == 1)
    }

    @Test func clusterFamiliesCountServersByStateAndMarkLeaders() throws {
        var state = ClusterHealthState()
        let snapshots = [
            Snapshots.server("n1", routes: ["n2", "n3"], metaLeader: "n1", streams: [("ORDERS", "n1", [("worker", 5, 0, 0)])]),
            Snapshots.server("n2", routes: ["n1", "n3"], metaLeader: "n1"),
        ]
        _ = state.pollCompleted(snapshots)
        state.setLags([ClusterView.ConsumerKey(stream: .init(account: "APP", stream: "ORDERS"), consumer: "worker"): 0])
        var statistics = PollStatistics()
        statistics.polls["system"] = 1
        statistics.countError(source: "http", reason: "timeout")
        let families = HealthFamilies.render(snapshots: snapshots, view: state.view, statistics: statistics)
        #expect(Self.sample(families, "cim_nats_servers", ["cluster": "cim", "state": "up"]) == 2)
        #expect(Self.sample(families, "cim_nats_servers", ["cluster": "cim", "state": "down"]) == 1)
        #expect(Self.sample(families, "cim_nats_server_up", ["server_name": "n3"]) == 0)
        #expect(Self.sample(families, "cim_nats_expected_servers", ["cluster": "cim"]) == 3)
        #expect(Self.sample(families, "cim_nats_meta_leader", ["server_name": "n1"]) == 1)
        #expect(Self.sample(families, "cim_nats_meta_leader_present", ["cluster": "cim"]) == 1)
        #expect(Self.sample(families, "cim_nats_stream_leader", ["stream": "ORDERS", "server_name": "n1"]) == 1)
        #expect(Self.sample(families, "cim_nats_stream_replica_lag", ["stream": "ORDERS", "server_name": "peer"]) == 7)
        #expect(Self.sample(families, "cim_nats_stream_replica_current", ["stream": "ORDERS", "server_name": "peer"]) == 0)
        #expect(Self.sample(families, "cim_nats_consumer_lag_seconds", ["stream": "ORDERS", "consumer": "worker"]) == 0)
        #expect(Self.sample(families, "cim_nats_consumer_stalled", ["stream": "ORDERS", "consumer": "worker"]) == 0)
        #expect(Self.sample(families, "cim_nats_jetstream_storage_reserved_bytes", ["server_name": "n1"]) == 4096)
        #expect(Self.sample(families, "cim_nats_health_polls_total", ["source": "system"]) == 1)
        #expect(Self.sample(families, "cim_nats_health_poll_errors_total", ["source": "http", "reason": "timeout"]) == 1)
        for format in ExpositionFormat.allCases { _ = try format.render(families) }
    }
}
