import CIMEvents
import EventMetrics

/// The families prometheus-nats-exporter writes when run as the NATS Helm chart runs it (`-prefix=nats
/// -use_internal_server_id -varz -connz -routez -subz -healthz -jsz=all`): the same names, labels and meaning.
enum ExporterFamilies {
    /// String leaves that the exporter's flattener turns into series (RFC 3339 times as epoch milliseconds, other
    /// strings as `{value="…"}` gauges of 1).
    static let stringKeys: Set<String> = ["server_id", "server_name", "version", "domain", "leader", "name", "start", "config_load_time"]
    /// Keys and key paths the flattener skips.
    static let skipped: Set<String> = [
        "leaf", "trusted_operators_claim", "cluster_tls_timeout", "cluster_cluster_port", "cluster_auth_timeout", "gateway_port",
        "gateway_auth_timeout", "gateway_tls_timeout", "gateway_connect_retries",
    ]

    static func add(_ snapshot: ServerSnapshot, to builder: inout FamilyBuilder) {
        let id = [MetricLabel("server_id", snapshot.identity.id)]
        if let varz = snapshot.varz { flatten(varz, endpoint: "varz", labels: id, into: &builder) }
        if let routez = snapshot.routez { flatten(routez, endpoint: "routez", labels: id, into: &builder) }
        if let subsz = snapshot.subsz { flatten(subsz, endpoint: "subsz", labels: id, into: &builder) }
        if let connz = snapshot.connz { addConnz(connz, labels: id, into: &builder) }
        if let status = snapshot.healthStatus {
            builder.add("nats_healthz_status", "0 when /healthz says ok, 1 otherwise (as the exporter).", labels: id, status == "ok" ? 0 : 1)
            builder.add(
                "nats_healthz_status_value",
                "1 when /healthz says ok; the value label holds the status.",
                labels: id + [MetricLabel("value", status)],
                status == "ok" ? 1 : 0
            )
        }
        if let jsz = snapshot.jetStream { addJetStream(jsz, identity: snapshot.identity, into: &builder) }
    }

    /// The exporter's generic flattener: every numeric leaf a gauge named by its key path; nested objects recurse;
    /// arrays and booleans are dropped; some string leaves become series.
    static func flatten(_ json: JSONValue, endpoint: String, labels: [MetricLabel], into builder: inout FamilyBuilder) {
        func walk(_ value: JSONValue, path: String, key: String) {
            if skipped.contains(key) || skipped.contains(path) { return }
            let name = "nats_\(endpoint)_\(path)"
            switch value {
            case .object(let members):
                for member in members {
                    walk(member.value, path: path.isEmpty ? sanitized(member.key) : path + "_" + sanitized(member.key), key: member.key)
                }
            case .number(let number):
                builder.add(name, "\(endpoint) \(path)", labels: labels, number: number)
            case .string(let text) where stringKeys.contains(key):
                if let seconds = RFC3339.seconds(text) {
                    builder.add(name, "\(endpoint) \(path) (epoch milliseconds)", labels: labels, number: (seconds * 1000).rounded())
                } else {
                    builder.add(name, "\(endpoint) \(path)", labels: labels + [MetricLabel("value", text)], number: 1)
                }
            default:
                return
            }
        }
        guard case .object(let members) = json else { return }
        for member in members { walk(member.value, path: sanitized(member.key), key: member.key) }
    }

    /// A key as a metric-name part: characters outside `[a-zA-Z0-9_]` become `_`.
    static func sanitized(_ key: String) -> String {
        String(
            String.UnicodeScalarView(
                key.unicodeScalars.map { scalar in
                    scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_") ? scalar : "_"
                }
            )
        )
    }

    static func addConnz(_ connz: JSONValue, labels: [MetricLabel], into builder: inout FamilyBuilder) {
        for field in ["num_connections", "total", "offset", "limit"] {
            builder.add("nats_connz_\(field)", "connz \(field)", labels: labels, connz[field]?.count)
        }
        let connections = connz["connections"]?.array ?? []
        for field in ["pending_bytes", "subscriptions", "in_bytes", "out_bytes", "in_msgs", "out_msgs"] {
            var sum: UInt64 = 0
            var valid = true
            for connection in connections {
                guard let value = connection[field]?.count else { continue }
                let (next, overflow) = sum.addingReportingOverflow(value)
                if overflow { valid = false }
                sum = next
            }
            if valid { builder.add("nats_connz_\(field)", "connz \(field), summed over the listed connections", labels: labels, sum) }
        }
    }

    static func addJetStream(_ jsz: JetStreamReport, identity: ServerIdentity, into builder: inout FamilyBuilder) {
        let isMetaLeader = jsz.metaLeader.map { $0 == identity.name } ?? true
        let server = [
            MetricLabel("server_id", identity.id), MetricLabel("server_name", identity.name), MetricLabel("cluster", jsz.metaClusterName),
            MetricLabel("domain", jsz.domain), MetricLabel("meta_leader", jsz.metaLeader ?? ""),
            MetricLabel("is_meta_leader", isMetaLeader ? "true" : "false"),
        ]
        builder.add("nats_server_jetstream_disabled", "1 when JetStream is disabled.", labels: server, jsz.disabled ? 1 : 0)
        builder.add("nats_server_total_streams", "Streams on the server.", labels: server, jsz.streams)
        builder.add("nats_server_total_consumers", "Consumers on the server.", labels: server, jsz.consumers)
        builder.add("nats_server_total_messages", "Messages stored on the server.", labels: server, jsz.messages)
        builder.add("nats_server_total_message_bytes", "Bytes stored on the server.", labels: server, jsz.bytes)
        builder.add("nats_server_max_memory", "JetStream maximum memory.", labels: server, jsz.maxMemory)
        builder.add("nats_server_max_storage", "JetStream maximum storage.", labels: server, jsz.maxStorage)
        // In the order of their labels, so that each family's sort finds its series in order already.
        for account in jsz.accounts.sorted(by: { precedes(($0.name, $0.id), ($1.name, $1.id)) }) {
            let accountLabels =
                server + [MetricLabel("account", account.name), MetricLabel("account_name", account.name), MetricLabel("account_id", account.id)]
            builder.add("nats_account_max_memory", "Account JetStream reserved memory.", labels: accountLabels, number: account.reservedMemory)
            builder.add("nats_account_max_storage", "Account JetStream reserved storage.", labels: accountLabels, number: account.reservedStorage)
            builder.add("nats_account_memory_used", "Account JetStream memory used.", labels: accountLabels, account.memory)
            builder.add("nats_account_storage_used", "Account JetStream storage used.", labels: accountLabels, account.storage)
            for stream in account.streams.sorted(by: { precedes(($0.name, $0.leader ?? ""), ($1.name, $1.leader ?? "")) }) {
                let isLeader = stream.leader.map { $0 == identity.name } ?? true
                let streamLabels =
                    accountLabels + [
                        MetricLabel("stream_name", stream.name), MetricLabel("stream_leader", stream.leader ?? ""),
                        MetricLabel("is_stream_leader", isLeader ? "true" : "false"), MetricLabel("stream_raft_group", stream.raftGroup ?? ""),
                    ]
                builder.add("nats_stream_total_messages", "Messages in the stream.", labels: streamLabels, stream.messages)
                builder.add("nats_stream_total_bytes", "Bytes in the stream.", labels: streamLabels, stream.bytes)
                builder.add("nats_stream_first_seq", "The stream's first sequence.", labels: streamLabels, stream.firstSequence)
                builder.add("nats_stream_last_seq", "The stream's last sequence.", labels: streamLabels, stream.lastSequence)
                builder.add("nats_stream_consumer_count", "Consumers of the stream.", labels: streamLabels, stream.consumerCount)
                builder.add("nats_stream_subject_count", "Subjects in the stream.", labels: streamLabels, stream.subjectCount)
                builder.add("nats_stream_limit_bytes", "The stream's max_bytes (-1: unlimited).", labels: streamLabels, number: stream.maxBytes)
                builder.add("nats_stream_limit_messages", "The stream's max_msgs (-1: unlimited).", labels: streamLabels, number: stream.maxMessages)
                for consumer in stream.consumers.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
                    let isConsumerLeader = consumer.leader.map { $0 == identity.name } ?? true
                    let labels =
                        streamLabels + [
                            MetricLabel("consumer_name", consumer.name), MetricLabel("consumer_leader", consumer.leader ?? ""),
                            MetricLabel("is_consumer_leader", isConsumerLeader ? "true" : "false"),
                            MetricLabel("consumer_desc", consumer.description),
                        ]
                    builder.add(
                        "nats_consumer_delivered_consumer_seq",
                        "Last delivered consumer sequence.",
                        labels: labels,
                        consumer.deliveredConsumerSequence
                    )
                    builder.add(
                        "nats_consumer_delivered_stream_seq",
                        "Last delivered stream sequence.",
                        labels: labels,
                        consumer.deliveredStreamSequence
                    )
                    builder.add("nats_consumer_num_ack_pending", "Messages delivered and not yet acknowledged.", labels: labels, consumer.ackPending)
                    builder.add("nats_consumer_num_redelivered", "Messages redelivered.", labels: labels, consumer.redelivered)
                    builder.add("nats_consumer_num_waiting", "Pull requests waiting.", labels: labels, consumer.waiting)
                    builder.add("nats_consumer_num_pending", "Messages not yet delivered.", labels: labels, consumer.pending)
                    builder.add("nats_consumer_ack_floor_stream_seq", "Ack floor stream sequence.", labels: labels, consumer.ackFloorStreamSequence)
                    builder.add(
                        "nats_consumer_ack_floor_consumer_seq",
                        "Ack floor consumer sequence.",
                        labels: labels,
                        consumer.ackFloorConsumerSequence
                    )
                    builder.add(
                        "nats_consumer_last_delivery_seconds",
                        "Seconds since the last delivery.",
                        labels: labels,
                        number: consumer.lastDeliverySeconds
                    )
                    builder.add(
                        "nats_consumer_last_ack_seconds",
                        "Seconds since the last acknowledgement.",
                        labels: labels,
                        number: consumer.lastAckSeconds
                    )
                }
            }
        }
    }

    /// Byte order of a pair of label values, as the exposition sorts series.
    static func precedes(_ lhs: (String, String), _ rhs: (String, String)) -> Bool {
        if lhs.0 != rhs.0 { return lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8) }
        return lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
    }
}
