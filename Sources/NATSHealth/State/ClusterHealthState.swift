/// What the collector remembers between polls: the servers seen, which are down, the leaders, each consumer's ack
/// floor history. Pure: a poll's reports in, the merged view and the events of what changed out.
public struct ClusterHealthState: Sendable {
    /// The expected cluster size from the configuration; without it, the largest number of servers seen.
    public var configuredExpectedServers: Int?
    /// A consumer with messages unacknowledged whose ack floor stays the same for this many polls is stalled.
    public var stallPolls: Int

    private var known: [String: ClusterView.Server] = [:]
    private var largestSeen = 0
    private var metaLeader: String?
    private var streamLeaders: [ClusterView.StreamKey: String] = [:]
    private var floors: [ClusterView.ConsumerKey: (floor: UInt64, waiting: Bool, unchanged: Int)] = [:]
    private var stalled: Set<ClusterView.ConsumerKey> = []
    /// The view after the last poll.
    public private(set) var view = ClusterView()

    public init(expectedServers: Int? = nil, stallPolls: Int = 3) {
        configuredExpectedServers = expectedServers
        self.stallPolls = max(1, stallPolls)
    }

    /// Merges one poll: `snapshots` from the servers that answered, `unanswered` names of servers that did not (an
    /// HTTP endpoint that failed, named by the server it answered for before, or by its URL).
    public mutating func pollCompleted(_ snapshots: [ServerSnapshot], unanswered: [String] = []) -> [HealthEvent] {
        var events: [HealthEvent] = []
        let answered = Set(snapshots.map(\.identity.name))
        var next = known
        for snapshot in snapshots {
            next[snapshot.identity.name] = ClusterView.Server(name: snapshot.identity.name, cluster: snapshot.identity.cluster, up: true)
        }
        for snapshot in snapshots {
            for name in snapshot.routedServerNames where next[name] == nil {
                next[name] = ClusterView.Server(name: name, cluster: snapshot.identity.cluster, up: false)
            }
        }
        for name in unanswered where next[name] == nil {
            next[name] = ClusterView.Server(name: name, cluster: "", up: false)
        }
        for name in next.keys where !answered.contains(name) {
            next[name]!.up = false
        }
        for server in next.values.sorted(by: { $0.name < $1.name }) {
            let before = known[server.name]
            let details = ["server_name": server.name, "cluster": server.cluster]
            if server.up, before?.up == false { events.append(HealthEvent("server_up", details)) }
            if !server.up, before?.up ?? true { events.append(HealthEvent("server_down", details)) }
        }
        known = next
        largestSeen = max(largestSeen, answered.count, known.count)

        var view = ClusterView()
        view.servers = known.values.sorted { $0.name < $1.name }
        view.expectedServers = configuredExpectedServers ?? largestSeen
        events += mergeMetaLeader(snapshots, answered: answered, into: &view)
        events += mergeStreams(snapshots, into: &view)
        events += mergeConsumers(snapshots, into: &view)
        self.view = view
        return events
    }

    /// Sets the consumer lags in seconds that the collector found after the poll (absent: unknown).
    public mutating func setLags(_ lags: [ClusterView.ConsumerKey: Double]) {
        for index in view.consumers.indices {
            view.consumers[index].lagSeconds = lags[view.consumers[index].key]
        }
    }

    private mutating func mergeMetaLeader(_ snapshots: [ServerSnapshot], answered: Set<String>, into view: inout ClusterView) -> [HealthEvent] {
        // The leader's own word first, then any answering server that names an answering leader.
        let named = snapshots.compactMap { $0.jetStream?.metaLeader }.filter { !$0.isEmpty && answered.contains($0) }
        let leader = snapshots.first { $0.jetStream?.metaLeader == $0.identity.name }?.identity.name ?? named.first
        view.metaLeader = leader
        defer { if let leader { metaLeader = leader } }
        guard let leader, let previous = metaLeader, previous != leader else { return [] }
        let cluster = known[leader]?.cluster ?? ""
        return [HealthEvent("meta_leader_changed", ["cluster": cluster, "server_name": leader, "previous": previous])]
    }

    private mutating func mergeStreams(_ snapshots: [ServerSnapshot], into view: inout ClusterView) -> [HealthEvent] {
        var streams: [ClusterView.StreamKey: ClusterView.Stream] = [:]
        var fromLeader: Set<ClusterView.StreamKey> = []
        for snapshot in snapshots {
            for account in snapshot.jetStream?.accounts ?? [] {
                for stream in account.streams {
                    let key = ClusterView.StreamKey(account: account.name, stream: stream.name)
                    let isLeader = stream.leader == snapshot.identity.name || stream.leader == nil
                    guard streams[key] == nil || (isLeader && !fromLeader.contains(key)) else { continue }
                    if isLeader { fromLeader.insert(key) }
                    streams[key] = ClusterView.Stream(
                        key: key,
                        leader: stream.leader ?? (stream.replicas.map { $0 <= 1 } == true ? snapshot.identity.name : nil),
                        replicas: stream.replicas,
                        messages: stream.messages,
                        bytes: stream.bytes,
                        firstSequence: stream.firstSequence,
                        lastSequence: stream.lastSequence,
                        peers: isLeader ? stream.peers : []
                    )
                }
            }
        }
        view.streams = streams.values.sorted { $0.key < $1.key }
        var events: [HealthEvent] = []
        for stream in view.streams {
            guard let leader = stream.leader, !leader.isEmpty else { continue }
            if let previous = streamLeaders[stream.key], previous != leader {
                events.append(
                    HealthEvent(
                        "stream_leader_changed",
                        ["account": stream.key.account, "stream": stream.key.stream, "server_name": leader, "previous": previous]
                    )
                )
            }
            streamLeaders[stream.key] = leader
        }
        return events
    }

    private mutating func mergeConsumers(_ snapshots: [ServerSnapshot], into view: inout ClusterView) -> [HealthEvent] {
        var chosen: [ClusterView.ConsumerKey: (consumer: JetStreamReport.Consumer, fromLeader: Bool)] = [:]
        for snapshot in snapshots {
            for account in snapshot.jetStream?.accounts ?? [] {
                for stream in account.streams {
                    for consumer in stream.consumers {
                        let key = ClusterView.ConsumerKey(stream: .init(account: account.name, stream: stream.name), consumer: consumer.name)
                        let isLeader = consumer.leader == nil || consumer.leader == snapshot.identity.name
                        if let existing = chosen[key], existing.fromLeader || !isLeader { continue }
                        chosen[key] = (consumer, isLeader)
                    }
                }
            }
        }
        var events: [HealthEvent] = []
        var consumers: [ClusterView.Consumer] = []
        var nextFloors: [ClusterView.ConsumerKey: (floor: UInt64, waiting: Bool, unchanged: Int)] = [:]
        for (key, entry) in chosen.sorted(by: { $0.key < $1.key }) {
            let report = entry.consumer
            guard let floor = report.ackFloorStreamSequence else { continue }
            let pending = report.pending ?? 0
            let ackPending = report.ackPending ?? 0
            let waiting = pending &+ ackPending > 0
            // Polls in a row that found messages unacknowledged and the floor where the previous one found it.
            var unchanged = 0
            if waiting, let before = floors[key], before.waiting, before.floor == floor { unchanged = before.unchanged + 1 }
            nextFloors[key] = (floor, waiting, unchanged)
            let isStalled = waiting && unchanged >= stallPolls
            let details = ["account": key.stream.account, "stream": key.stream.stream, "consumer": key.consumer]
            if isStalled, !stalled.contains(key) {
                stalled.insert(key)
                events.append(
                    HealthEvent("consumer_stalled", details.merging(["ack_floor": String(floor), "pending": String(pending &+ ackPending)]) { $1 })
                )
            } else if !isStalled, stalled.contains(key) {
                stalled.remove(key)
                events.append(HealthEvent("consumer_recovered", details.merging(["ack_floor": String(floor)]) { $1 }))
            }
            consumers.append(ClusterView.Consumer(key: key, pending: pending, ackPending: ackPending, ackFloor: floor, stalled: isStalled))
        }
        // A consumer that no server reports now keeps no history (a deleted and recreated one starts afresh).
        floors = nextFloors
        stalled.formIntersection(nextFloors.keys)
        view.consumers = consumers
        return events
    }
}
