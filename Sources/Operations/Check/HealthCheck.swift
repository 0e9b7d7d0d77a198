import CIMEvents
import Foundation
import Monitor
import NATS
import NATSCore
import NATSHealth
import NIOCore
import NIOFoundationCompat

/// The checks of `cim-monitor check`, against a connected client: each returns results, never throws (a failure
/// to look is itself a result).
public struct HealthCheck: Sendable {
    public let jetStream: JetStream
    public let thresholds: CheckThresholds
    /// The event streams to check; empty: every stream except KV and object-store buckets.
    public let streams: [String]
    /// The monitor's KV bucket.
    public let bucket: String
    /// The time the checks compare ages with (unix seconds).
    public let now: Double
    /// The cluster as a `HealthCollector` poll saw it (system account or HTTP monitoring); `nil`: no health source,
    /// the servers are asked over this connection (which answers only a system-account user).
    public let clusterView: ClusterView?

    public init(
        jetStream: JetStream,
        thresholds: CheckThresholds,
        streams: [String] = [],
        bucket: String = "CIM_MONITOR",
        now: Double,
        clusterView: ClusterView? = nil
    ) {
        self.jetStream = jetStream
        self.thresholds = thresholds
        self.streams = streams
        self.bucket = bucket
        self.now = now
        self.clusterView = clusterView
    }

    /// Every check after `nats` (connecting, which the caller did).
    public func run() async -> [CheckResult] {
        var results: [CheckResult] = []
        results.append(contentsOf: await cluster())
        let account = await jetStreamAccount(&results)
        guard account else { return results }
        results.append(contentsOf: await eventStreams())
        results.append(contentsOf: await monitorInstances())
        results.append(contentsOf: await gpuAgents())
        return results
    }

    // MARK: cluster

    /// The cluster's servers against the expected size, and its JetStream meta leader: from the health poll when there
    /// is one, else from the servers answering `$SYS.REQ.SERVER.PING` on this connection.
    func cluster() async -> [CheckResult] {
        if let clusterView { return [Self.cluster(clusterView, expected: thresholds.expectedServers)] }
        let replies = await collect("$SYS.REQ.SERVER.PING", wait: 1.0)
        var names = Set<String>()
        var routed = 0
        var clusterName = ""
        for reply in replies {
            guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: reply.payload)) as? [String: Any],
                let server = object["server"] as? [String: Any], let name = server["name"] as? String
            else { continue }
            names.insert(name)
            clusterName = server["cluster"] as? String ?? clusterName
            if let statsz = object["statsz"] as? [String: Any], let routes = statsz["routes"] as? [Any] { routed = max(routed, routes.count + 1) }
        }
        let expected = thresholds.expectedServers > 0 ? thresholds.expectedServers : routed
        guard !names.isEmpty else {
            let status: CheckStatus = thresholds.expectedServers > 1 ? .warn : .ok
            return [
                CheckResult(
                    "cluster",
                    status,
                    "not visible: the servers answer $SYS requests only for a system-account user",
                    action: "give --system-user/--system-password, --system-creds or --nats-monitor to see the cluster"
                )
            ]
        }
        let up = names.count
        let status = CheckVerdict.cluster(up: up, expected: max(expected, up))
        let label = clusterName.isEmpty ? "" : " of cluster \(clusterName)"
        return [
            CheckResult(
                "cluster",
                status,
                "\(up) of \(max(expected, up)) servers\(label) up",
                action: status == .critical
                    ? "JetStream has no quorum: docs/runbooks/nats-recovery.md#natsnometaleader"
                    : "a server is down: docs/runbooks/nats-recovery.md#natsserverdown"
            )
        ]
    }

    /// The verdict on a health poll's view: servers up of those expected (`expected`, else what the view expects);
    /// without a meta leader in a cluster JetStream has no quorum (critical).
    public static func cluster(_ view: ClusterView, expected configured: Int) -> CheckResult {
        let up = view.servers.filter(\.up)
        guard !up.isEmpty else {
            return CheckResult(
                "cluster",
                .critical,
                "no server answered the health poll",
                action: "docs/runbooks/nats-recovery.md#natsserverdown"
            )
        }
        let expected = max(configured > 0 ? configured : view.expectedServers, up.count)
        var status = CheckVerdict.cluster(up: up.count, expected: expected)
        if expected > 1 && view.metaLeader == nil { status = .critical }
        let name = view.servers.first?.cluster ?? ""
        let down = view.downServers.map(\.name)
        var figure = "\(up.count) of \(expected) servers\(name.isEmpty ? "" : " of cluster \(name)") up"
        if !down.isEmpty { figure += " (down: \(down.joined(separator: ", ")))" }
        if expected > 1 { figure += view.metaLeader.map { ", meta leader \($0)" } ?? ", no JetStream meta leader" }
        return CheckResult(
            "cluster",
            status,
            figure,
            action: status == .critical
                ? "JetStream has no quorum: docs/runbooks/nats-recovery.md#natsnometaleader"
                : "a server is down: docs/runbooks/nats-recovery.md#natsserverdown"
        )
    }

    /// Replies to a request that many answer, until `wait` seconds pass.
    func collect(_ subject: String, wait: Double) async -> [NATSMessage] {
        let client = jetStream.client
        let inbox = "\(client.options.inboxPrefix).\(NUID.next())"
        guard let subscription = try? await client.subscribe(to: inbox) else { return [] }
        let stop = Task {
            try? await Task.sleep(for: .seconds(wait))
            try? await subscription.unsubscribe()
        }
        defer { stop.cancel() }
        do {
            try await client.publish(ByteBuffer(), to: subject, replyTo: inbox)
        } catch {
            try? await subscription.unsubscribe()
            return []
        }
        var replies: [NATSMessage] = []
        for await message in subscription {
            if message.status == 503 { break }  // no responders: nobody may answer
            replies.append(message)
        }
        return replies
    }

    // MARK: JetStream

    func jetStreamAccount(_ results: inout [CheckResult]) async -> Bool {
        do {
            let info = try await jetStream.accountInfo()
            let limit = info.limits.maxStorage
            if limit > 0 {
                let ratio = Double(info.storage) / Double(limit)
                let status = CheckVerdict.ratio(ratio, thresholds.storage)
                results.append(
                    CheckResult(
                        "jetstream",
                        status,
                        String(
                            format: "storage %@ of %@ (%.0f%%), %d streams",
                            formatBytes(info.storage),
                            formatBytes(UInt64(limit)),
                            ratio * 100,
                            info.streams
                        ),
                        action: "free or add storage: docs/runbooks/nats-recovery.md#natsjetstreamstoragehigh"
                    )
                )
            } else {
                results.append(
                    CheckResult("jetstream", .ok, "enabled, storage \(formatBytes(info.storage)) used (no account limit), \(info.streams) streams")
                )
            }
            return true
        } catch {
            results.append(
                CheckResult(
                    "jetstream",
                    .critical,
                    "not available: \(error)",
                    action: "enable JetStream on the servers: docs/runbooks/nats-recovery.md#natsserverdown"
                )
            )
            return false
        }
    }

    // MARK: streams and consumers

    func eventStreams() async -> [CheckResult] {
        var results: [CheckResult] = []
        let all: [StreamInfo]
        do {
            all = try await jetStream.streams()
        } catch {
            return [CheckResult("streams", .critical, "cannot list streams: \(error)", action: "check the user's JetStream permissions")]
        }
        let byName = Dictionary(all.map { ($0.config.name, $0) }, uniquingKeysWith: { a, _ in a })
        let names = streams.isEmpty ? all.map(\.config.name).filter { !$0.hasPrefix("KV_") && !$0.hasPrefix("OBJ_") }.sorted() : streams
        if names.isEmpty {
            return [CheckResult("streams", .warn, "no event streams", action: "create the event streams (or name them with --stream)")]
        }
        for name in names {
            guard let info = byName[name] else {
                results.append(
                    CheckResult(
                        "stream \(name)",
                        .critical,
                        "missing",
                        action: "restore it: cim-monitor restore DIR (docs/runbooks/backup-restore.md#stream-backups)"
                    )
                )
                continue
            }
            guard info.state.messages > 0, let last = info.state.lastTs.flatMap(RFC3339.seconds) else {
                results.append(
                    CheckResult(
                        "stream \(name)",
                        .warn,
                        "holds no messages",
                        action: "check the producers: docs/runbooks/event-replay.md#cimnoevents"
                    )
                )
                continue
            }
            let age = now - last
            let status = CheckVerdict.age(age, thresholds.streamAge)
            results.append(
                CheckResult(
                    "stream \(name)",
                    status,
                    "\(info.state.messages) messages, last \(formatAge(age)) ago",
                    action: "no new events: check the producers (docs/runbooks/event-replay.md#cimdomainsilent)"
                )
            )
            results.append(contentsOf: await consumers(of: name))
        }
        return results
    }

    func consumers(of stream: String) async -> [CheckResult] {
        guard let consumers = try? await jetStream.consumers(stream: stream) else { return [] }
        return consumers.filter { $0.config.durableName != nil }.sorted { $0.name < $1.name }.map { consumer in
            let active = consumer.delivered.lastActive.flatMap(RFC3339.seconds)
            let inactive = active.map { now - $0 }
            let status = CheckVerdict.consumer(pending: consumer.numPending, inactiveFor: inactive, thresholds)
            let stalled = consumer.numPending > 0 && (inactive ?? 0) > thresholds.consumerStalled
            let figure =
                "\(consumer.numPending) pending, \(consumer.numAckPending) unacknowledged, ack floor \(consumer.ackFloor.streamSeq)"
                + (inactive.map { ", last active \(formatAge($0)) ago" } ?? "")
            return CheckResult(
                "consumer \(stream)/\(consumer.name)",
                status,
                figure,
                action: stalled
                    ? "stalled: docs/runbooks/nats-recovery.md#natsconsumerstalled" : "lagging: docs/runbooks/nats-recovery.md#natsconsumerlaghigh"
            )
        }
    }

    // MARK: monitor instances

    /// The age of each monitor instance's newest snapshot in the KV bucket.
    func monitorInstances() async -> [CheckResult] {
        let stream = "KV_\(bucket)"
        let info: StreamInfo
        do {
            info = try await jetStream.streamInfo(stream, subjectsFilter: "$KV.\(bucket).>")
        } catch {
            return [
                CheckResult(
                    "monitor",
                    .warn,
                    "no KV bucket \(bucket): no monitor has saved a snapshot",
                    action: "start `cim-monitor serve` (docs/runbooks/backup-restore.md#cimmonitordown)"
                )
            ]
        }
        var newest: [String: Double] = [:]
        for subject in (info.state.subjects ?? [:]).keys {
            let key = String(subject.dropFirst("$KV.\(bucket).".count))
            guard let names = SnapshotKey.names(key), let message = try? await jetStream.getMessage(stream: stream, lastBySubject: subject),
                let time = RFC3339.seconds(message.time)
            else { continue }
            newest[names.instance] = max(newest[names.instance] ?? 0, time)
        }
        if newest.isEmpty {
            return [
                CheckResult(
                    "monitor",
                    .warn,
                    "no snapshots in \(bucket)",
                    action: "start `cim-monitor serve` (docs/runbooks/backup-restore.md#cimmonitordown)"
                )
            ]
        }
        return newest.sorted { $0.key < $1.key }.map { instance, time in
            let age = now - time
            return CheckResult(
                "monitor \(instance)",
                CheckVerdict.age(age, thresholds.snapshotAge),
                "last snapshot \(formatAge(age)) ago",
                action: "the instance stopped saving: docs/runbooks/backup-restore.md#cimmonitorsnapshotstale"
            )
        }
    }

    // MARK: GPU agents

    /// The age of each node's last `cim.gpu.<node>.sampled` event, in whichever stream holds them.
    func gpuAgents() async -> [CheckResult] {
        let filter = "cim.gpu.*.sampled"
        guard let names = try? await jetStream.streamNames(subject: filter), !names.isEmpty else {
            return [CheckResult("gpu", .ok, "no stream holds cim.gpu.*.sampled: no GPU agents to check")]
        }
        var newest: [String: Double] = [:]
        for name in names {
            guard let info = try? await jetStream.streamInfo(name, subjectsFilter: filter) else { continue }
            for subject in (info.state.subjects ?? [:]).keys {
                let tokens = subject.split(separator: ".")
                guard tokens.count == 4, let message = try? await jetStream.getMessage(stream: name, lastBySubject: subject),
                    let time = RFC3339.seconds(message.time)
                else { continue }
                newest[String(tokens[2])] = max(newest[String(tokens[2])] ?? 0, time)
            }
        }
        if newest.isEmpty { return [CheckResult("gpu", .ok, "no GPU agent has reported")] }
        return newest.sorted { $0.key < $1.key }.map { node, time in
            let age = now - time
            return CheckResult(
                "gpu \(node)",
                CheckVerdict.age(age, thresholds.gpuAge),
                "last sample \(formatAge(age)) ago",
                action: "the node's GPU agent stopped reporting: docs/runbooks/gpu-failure.md#gpudown"
            )
        }
    }
}
