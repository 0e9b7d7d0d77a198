import EventMetrics

/// Everything the health collector adds to `/metrics`: the exporter-compatible families of each answering server,
/// the `cim_nats_*` families of the merged view, and the collector's own health.
public enum HealthFamilies {
    public static func render(snapshots: [ServerSnapshot], view: ClusterView, statistics: PollStatistics) -> [MetricFamily] {
        var builder = FamilyBuilder()
        // In the order of the servers' IDs (each series' first label), so that the families' sorts find them in order.
        for snapshot in snapshots.sorted(by: { $0.identity.id.utf8.lexicographicallyPrecedes($1.identity.id.utf8) }) {
            ExporterFamilies.add(snapshot, to: &builder)
        }
        addCluster(view, snapshots: snapshots, into: &builder)
        addStatistics(statistics, into: &builder)
        return builder.build()
    }

    static func addCluster(_ view: ClusterView, snapshots: [ServerSnapshot], into builder: inout FamilyBuilder) {
        builder.declare("cim_nats_servers", "Servers known (seen, or named by a route) by state.")
        var clusters = Set(view.servers.map(\.cluster))
        if clusters.isEmpty { clusters = [""] }
        for cluster in clusters.sorted() {
            let members = view.servers.filter { $0.cluster == cluster }
            for state in ["up", "down"] {
                let count = members.filter { $0.up == (state == "up") }.count
                builder.add(
                    "cim_nats_servers",
                    "Servers known (seen, or named by a route) by state.",
                    labels: [MetricLabel("cluster", cluster), MetricLabel("state", state)],
                    UInt64(count)
                )
            }
            builder.add(
                "cim_nats_expected_servers",
                "The expected cluster size: --expected-servers, else the largest number of servers seen.",
                labels: [MetricLabel("cluster", cluster)],
                UInt64(view.expectedServers)
            )
            let leader = view.metaLeader.flatMap { name in view.servers.first { $0.name == name && $0.cluster == cluster } }
            builder.add(
                "cim_nats_meta_leader_present",
                "1 when the cluster has a JetStream meta leader.",
                labels: [MetricLabel("cluster", cluster)],
                leader == nil ? 0 : 1
            )
            if let leader {
                builder.add(
                    "cim_nats_meta_leader",
                    "1 for the JetStream meta leader.",
                    labels: [MetricLabel("cluster", cluster), MetricLabel("server_name", leader.name)],
                    1
                )
            }
        }
        builder.declare("cim_nats_server_up", "1 when the server answered the last poll, 0 when it was seen before and does not answer now.")
        for server in view.servers {
            builder.add(
                "cim_nats_server_up",
                "1 when the server answered the last poll, 0 when it was seen before and does not answer now.",
                labels: [MetricLabel("server_name", server.name), MetricLabel("cluster", server.cluster)],
                server.up ? 1 : 0
            )
        }
        builder.declare("cim_nats_meta_leader", "1 for the JetStream meta leader.")
        builder.declare("cim_nats_jetstream_storage_used_bytes", "JetStream file storage used on the server.")
        builder.declare("cim_nats_jetstream_storage_reserved_bytes", "JetStream file storage configured on the server (max_storage).")
        for snapshot in snapshots {
            let labels = [MetricLabel("server_name", snapshot.identity.name), MetricLabel("cluster", snapshot.identity.cluster)]
            builder.add("cim_nats_jetstream_storage_used_bytes", "JetStream file storage used on the server.", labels: labels, snapshot.storageUsed)
            builder.add(
                "cim_nats_jetstream_storage_reserved_bytes",
                "JetStream file storage configured on the server (max_storage).",
                labels: labels,
                snapshot.storageReserved
            )
        }
        addStreams(view, into: &builder)
    }

    static func addStreams(_ view: ClusterView, into builder: inout FamilyBuilder) {
        let names = [
            ("cim_nats_stream_leader", "1 for the server that leads the stream."),
            ("cim_nats_stream_replica_lag", "Operations a stream replica is behind its leader."),
            ("cim_nats_stream_replica_current", "1 when the stream replica is current with its leader."),
            ("cim_nats_consumer_pending_messages", "Messages of the stream not yet delivered to the consumer."),
            ("cim_nats_consumer_ack_pending_messages", "Messages delivered to the consumer and not yet acknowledged."),
            ("cim_nats_consumer_lag_seconds", "Age of the oldest message the consumer has not acknowledged; 0 when nothing is pending."),
            ("cim_nats_consumer_stalled", "1 when messages are unacknowledged and the ack floor has not moved for several polls."),
        ]
        for (name, help) in names { builder.declare(name, help) }
        let help = Dictionary(uniqueKeysWithValues: names)
        for stream in view.streams {
            if let leader = stream.leader, !leader.isEmpty {
                builder.add(
                    "cim_nats_stream_leader",
                    help["cim_nats_stream_leader"]!,
                    labels: [MetricLabel("stream", stream.key.stream), MetricLabel("server_name", leader)],
                    1
                )
            }
            for peer in stream.peers {
                let labels = [MetricLabel("stream", stream.key.stream), MetricLabel("server_name", peer.name)]
                builder.add("cim_nats_stream_replica_lag", help["cim_nats_stream_replica_lag"]!, labels: labels, peer.lag ?? 0)
                if let current = peer.current {
                    builder.add("cim_nats_stream_replica_current", help["cim_nats_stream_replica_current"]!, labels: labels, current ? 1 : 0)
                }
            }
        }
        for consumer in view.consumers {
            let labels = [MetricLabel("stream", consumer.key.stream.stream), MetricLabel("consumer", consumer.key.consumer)]
            builder.add("cim_nats_consumer_pending_messages", help["cim_nats_consumer_pending_messages"]!, labels: labels, consumer.pending)
            builder.add(
                "cim_nats_consumer_ack_pending_messages",
                help["cim_nats_consumer_ack_pending_messages"]!,
                labels: labels,
                consumer.ackPending
            )
            builder.add("cim_nats_consumer_lag_seconds", help["cim_nats_consumer_lag_seconds"]!, labels: labels, number: consumer.lagSeconds)
            builder.add("cim_nats_consumer_stalled", help["cim_nats_consumer_stalled"]!, labels: labels, consumer.stalled ? 1 : 0)
        }
    }

    static func addStatistics(_ statistics: PollStatistics, into builder: inout FamilyBuilder) {
        builder.declare("cim_nats_health_poll_duration_seconds", "How long the last health poll took, by source.")
        builder.declare("cim_nats_health_polls_total", "Health polls done, by source.", .counter)
        builder.declare("cim_nats_health_poll_errors_total", "Health poll errors by source and reason.", .counter)
        for (source, seconds) in statistics.lastDuration.sorted(by: { $0.key < $1.key }) {
            builder.add(
                "cim_nats_health_poll_duration_seconds",
                "How long the last health poll took, by source.",
                labels: [MetricLabel("source", source)],
                number: seconds
            )
        }
        for (source, count) in statistics.polls.sorted(by: { $0.key < $1.key }) {
            builder.add("cim_nats_health_polls_total", "Health polls done, by source.", .counter, labels: [MetricLabel("source", source)], count)
        }
        for (key, count) in statistics.errors.sorted(by: { $0.key < $1.key }) {
            builder.add(
                "cim_nats_health_poll_errors_total",
                "Health poll errors by source and reason.",
                .counter,
                labels: [MetricLabel("source", key.source), MetricLabel("reason", key.reason)],
                count
            )
        }
        builder.add(
            "cim_nats_health_last_poll_timestamp_seconds",
            "When the last health poll ended (unix seconds).",
            labels: [],
            number: statistics.lastPollTimestamp
        )
    }
}
