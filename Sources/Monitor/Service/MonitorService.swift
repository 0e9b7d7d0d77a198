import CIMEvents
import EventMetrics
import Foundation
import NATS
import NATSCore
import ServiceLifecycle
import Synchronization

/// The live monitor: connects, discovers the event streams, folds each one (`StreamWorker`), snapshots,
/// and publishes its own happenings as events. A `Service`: `run()` until graceful shutdown, then a final
/// snapshot, a `stopping` event and a drain.
public final class MonitorService: Service, Sendable {
    public enum Mode: String, Sendable {
        case starting, jetstream, core
    }

    struct State {
        var mode = Mode.starting
        var workers: [String: StreamWorker] = [:]
        var coreFold: EventPipeline?
        var reconnects = 0
        var lastSnapshot: Double = 0
        /// The first look for streams is done (and a worker exists for each stream found).
        var discovered = false
    }

    public let configuration: MonitorConfiguration
    public let settings: ServeSettings
    public let client: NATSClient
    let events: MonitorEventPublisher
    let state = Mutex(State())

    public init(client: NATSClient, configuration: MonitorConfiguration, settings: ServeSettings) {
        self.client = client
        self.configuration = configuration
        self.settings = settings
        self.events = MonitorEventPublisher(client: client, instance: settings.instance)
    }

    public func run() async throws {
        // The client's background work (reconnects, reply dispatch) is a child of this service; it ends when the
        // client is closed, at the end of `monitor()`.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.runUntilClosed() }
            do {
                try await self.monitor()
            } catch {
                await self.client.close()
                throw error
            }
            await self.client.close()
        }
    }

    private func monitor() async throws {
        // A shutdown while NATS is still unreachable (or refuses our credentials) ends the service at once.
        let connected = await cancelWhenGracefulShutdown { () async -> Bool in await self.connectUntilReachable() }
        guard connected else { return }  // `run()` closes the client
        await events.publish("started", ["servers": client.connectedServer?.description ?? ""])
        await events.publish("connected", ["server": client.connectedServer?.description ?? ""])
        let connectionEvents = client.events
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.reportConnectionEvents(connectionEvents) }
            group.addTask {
                do {
                    try await cancelWhenGracefulShutdown { try await self.consume() }
                } catch {
                    // Cancelled by the shutdown (e.g. while waiting to discover streams) is not a failure: the
                    // final snapshot and the `stopping` event follow.
                    guard Task.isShuttingDownGracefully else { throw error }
                }
            }
            group.addTask {
                await cancelWhenGracefulShutdown { await self.snapshotLoop() }
            }
            try await group.next()
            try? await group.next()
            group.cancelAll()
        }
        // The last snapshot, the `stopping` event and the drain are bounded: with NATS gone they must not hold the
        // process past the orchestrator's grace period.
        await withDeadline(seconds: settings.shutdownGrace) {
            await self.saveSnapshots()
            await self.events.publish("stopping")
            try? await self.client.drain()
        } expire: {
            await self.client.close()
        }
    }

    /// Tries to connect until it works or the task is cancelled (`false` then). Only while NATS cannot be reached
    /// does the monitor write to stderr, since no event can leave: the first failure and every 30th.
    private func connectUntilReachable() async -> Bool {
        var attempt = 0
        while !Task.isCancelled {
            do {
                try await client.connect()
                return true
            } catch {
                attempt += 1
                if attempt == 1 || attempt % 30 == 0 {
                    FileHandle.standardError.write(Data("cim-monitor: NATS is not reachable (\(error.message)); retrying\n".utf8))
                }
                if error.code == .connectionClosed { return false }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        return false
    }

    private func consume() async throws {
        let jetStream = JetStream(client: client)
        do {
            _ = try await jetStream.accountInfo()
        } catch {
            try await consumeCore()
            return
        }
        state.withLock { $0.mode = .jetstream }
        let store = try await jetStream.createKeyValue(bucket: settings.bucket, history: 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            while !Task.isCancelled {
                for name in try await discoverStreams(jetStream) {
                    let worker = StreamWorker(
                        stream: name,
                        jetStream: jetStream,
                        store: store,
                        events: events,
                        startNew: settings.startNew,
                        configuration: configuration
                    )
                    let isNew = state.withLock { state -> Bool in
                        guard state.workers[name] == nil else { return false }
                        state.workers[name] = worker
                        return true
                    }
                    guard isNew else { continue }
                    await events.publish("stream_discovered", ["stream": name])
                    group.addTask { try await worker.run() }
                }
                state.withLock { $0.discovered = true }
                try await Task.sleep(for: .seconds(settings.discoveryInterval))
            }
        }
    }

    /// Streams to fold: the configured ones, or every stream whose subjects overlap the event subjects.
    private func discoverStreams(_ jetStream: JetStream) async throws -> [String] {
        if !configuration.streams.isEmpty { return configuration.streams }
        let infos = try await jetStream.streams()
        return infos.filter { info in
            guard info.config.name != "KV_\(settings.bucket)" else { return false }
            let subjects = info.config.subjects ?? []
            return subjects.contains { subject in configuration.subjects.contains { subjectsOverlap(subject, $0) } }
        }.map(\.config.name).sorted()
    }

    /// Without JetStream: count what a core subscription delivers (at most once; says so in `cim_monitor_mode`).
    private func consumeCore() async throws {
        state.withLock { state in
            state.mode = .core
            state.coreFold = EventPipeline(
                mapper: EventMapper(rules: configuration.rules, maxPayloadBytes: configuration.maxPayloadBytes),
                fold: MetricsFold(limits: configuration.limits)
            )
        }
        await events.publish("jetstream_unavailable", ["mode": "core"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for subject in configuration.subjects {
                let subscription = try await client.subscribe(to: subject)
                group.addTask {
                    var sequence: UInt64 = 0
                    for await message in subscription {
                        sequence += 1
                        let observed = Date().timeIntervalSince1970
                        self.state.withLock { state in
                            guard var pipeline = state.coreFold else { return }
                            state.coreFold = nil
                            pipeline.process(message, sequence: sequence, storedAt: nil, observedAt: observed, live: true)
                            state.coreFold = pipeline
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private func snapshotLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(settings.snapshotInterval))
            if Task.isCancelled { return }
            await saveSnapshots()
            for worker in state.withLock({ Array($0.workers.values) }) {
                for family in worker.newOverflows() {
                    await events.publish("cardinality_limit_reached", ["stream": worker.stream, "family": family])
                }
            }
        }
    }

    func saveSnapshots() async {
        let workers = state.withLock { Array($0.workers.values) }
        var saved = 0
        for worker in workers {
            do {
                try await saveSnapshot(worker)
                saved += 1
            } catch {
                await events.publish("snapshot_failed", ["stream": worker.stream, "reason": "\(error)"])
            }
        }
        if saved > 0 {
            state.withLock { $0.lastSnapshot = Date().timeIntervalSince1970 }
            await events.publish("snapshot_saved", ["streams": String(saved)])
        }
    }

    /// Saves one worker's snapshot; when that fails because the bucket is gone (someone deleted it), creates the
    /// bucket again, says so (`snapshot_bucket_recreated`) and saves once more.
    private func saveSnapshot(_ worker: StreamWorker) async throws {
        do {
            try await worker.saveSnapshot()
        } catch {
            let jetStream = JetStream(client: client)
            do {
                _ = try await jetStream.streamInfo("KV_\(settings.bucket)")
            } catch let missing as JetStreamError where missing == .streamNotFound {
                _ = try await jetStream.createKeyValue(bucket: settings.bucket, history: 1)
                await events.publish("snapshot_bucket_recreated", ["bucket": settings.bucket])
                try await worker.saveSnapshot()
                return
            }
            throw error
        }
    }

    private func reportConnectionEvents(_ stream: AsyncStream<ConnectionEvent>) async {
        for await event in stream {
            switch event {
            case .disconnected(let server, let reason):
                await events.publish("disconnected", ["server": server.description, "reason": reason])
            case .reconnected(let server):
                state.withLock { $0.reconnects += 1 }
                await events.publish("reconnected", ["server": server.description])
            case .slowConsumer(let subject, let dropped):
                await events.publish("slow_consumer", ["subject": subject, "dropped": String(dropped)])
            case .lameDuckMode(let server):
                await events.publish("lame_duck_mode", ["server": server.description])
            case .serverError(let text):
                await events.publish("server_error", ["error": text])
            case .connected, .serversDiscovered, .closed:
                break
            }
        }
    }
}
