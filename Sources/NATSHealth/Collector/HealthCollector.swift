import CIMEvents
import EventMetrics
import Foundation
import NATS
import ServiceLifecycle
import Synchronization

/// Polls the cluster's health every interval (at most one poll in flight, each bounded by a timeout), keeps the
/// merged state, publishes its changes as events, and serves the families for `/metrics`.
///
/// It runs as its own task beside the event folding and shares nothing with it but the NATS client that the lag
/// lookups and events use.
public final class HealthCollector: Service, Sendable {
    public let settings: HealthSettings
    let system: SystemAccountSource?
    let http: HTTPMonitoringSource?
    let jetStream: JetStream?
    let publish: @Sendable (HealthEvent) async -> Void

    struct State {
        var health: ClusterHealthState
        var snapshots: [ServerSnapshot] = []
        var statistics = PollStatistics()
        /// What the families show: the state after the last completed poll (lags filled in).
        var published: (snapshots: [ServerSnapshot], view: ClusterView, statistics: PollStatistics) = ([], ClusterView(), PollStatistics())
        /// The families of `published`, built when `/metrics` first asks after a poll (`nil` until then), so that a
        /// poll whose families nobody reads (`nats status`) never builds them, and one built is shared until the next.
        var families: [MetricFamily]?
        /// Sources whose last poll failed, so that a failure is published once.
        var failing: Set<String> = []
    }

    let state: Mutex<State>

    /// - Parameters:
    ///   - systemOptions: client options with the system account's credentials, when that source is configured.
    ///   - jetStream: the application account's JetStream, for the store time of the oldest unacknowledged message.
    ///   - publish: sends one change as a self-event.
    public init(
        settings: HealthSettings,
        systemOptions: NATSOptions?,
        jetStream: JetStream?,
        publish: @escaping @Sendable (HealthEvent) async -> Void
    ) throws {
        self.settings = settings
        system = try systemOptions.map { try SystemAccountSource(options: $0) }
        let endpoints = try settings.monitorURLs.map { url in
            guard let endpoint = HTTPMonitoringSource.Endpoint(url) else {
                throw HealthConfigurationError("--nats-monitor \(url) is not http://host:port")
            }
            return endpoint
        }
        http = endpoints.isEmpty ? nil : HTTPMonitoringSource(endpoints: endpoints)
        self.jetStream = jetStream
        self.publish = publish
        state = Mutex(State(health: ClusterHealthState(expectedServers: settings.expectedServers, stallPolls: settings.stallPolls)))
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let started = ContinuousClock.now
                _ = await self.pollOnce()
                let next = started.advanced(by: .seconds(self.settings.interval))
                try? await Task.sleep(until: next, clock: .continuous)
            }
        }
        await system?.close()
    }

    /// The families of the last poll, for `/metrics`.
    public func families() -> [MetricFamily] {
        state.withLock { state in
            if let families = state.families { return families }
            let families = HealthFamilies.render(
                snapshots: state.published.snapshots,
                view: state.published.view,
                statistics: state.published.statistics
            )
            state.families = families
            return families
        }
    }

    /// The merged view and the answering servers' reports after the last poll.
    public func current() -> (view: ClusterView, snapshots: [ServerSnapshot], statistics: PollStatistics) {
        state.withLock { ($0.health.view, $0.snapshots, $0.statistics) }
    }

    /// One poll of every source; returns the events it published.
    @discardableResult
    public func pollOnce() async -> [HealthEvent] {
        let timeout = settings.timeout
        let expected = state.withLock { $0.health.view.servers.count }
        async let fromSystem = timed { await self.system?.poll(expected: expected, timeout: timeout) }
        async let fromHTTP = timed { await self.http?.poll(timeout: timeout) }
        let (systemResult, systemSeconds) = await fromSystem
        let (httpResult, httpSeconds) = await fromHTTP

        var snapshots = systemResult?.snapshots ?? []
        let names = Set(snapshots.map(\.identity.name))
        snapshots += (httpResult?.snapshots ?? []).filter { !names.contains($0.identity.name) }
        let answered = Set(snapshots.map(\.identity.name))
        let unanswered = ((systemResult?.unanswered ?? []) + (httpResult?.unanswered ?? [])).filter { !answered.contains($0) }

        var events = state.withLock { state in
            var events = state.health.pollCompleted(snapshots, unanswered: unanswered)
            state.statistics.lastErrorMessages = ((systemResult?.errors ?? []) + (httpResult?.errors ?? [])).map(\.message)
            for (source, result, seconds) in [("system", systemResult, systemSeconds), ("http", httpResult, httpSeconds)] {
                guard let result else { continue }
                state.statistics.polls[source, default: 0] += 1
                state.statistics.lastDuration[source] = seconds
                for error in result.errors { state.statistics.countError(source: source, reason: error.reason) }
                let failed = result.snapshots.isEmpty && !result.errors.isEmpty
                if failed, !state.failing.contains(source), let first = result.errors.first {
                    state.failing.insert(source)
                    events.append(HealthEvent("health_poll_failed", ["source": source, "reason": first.reason, "error": first.message]))
                } else if !failed, state.failing.contains(source) {
                    state.failing.remove(source)
                    events.append(HealthEvent("health_poll_recovered", ["source": source]))
                }
            }
            state.snapshots = snapshots
            return events
        }
        await fillLag(timeout: timeout)
        state.withLock { state in
            state.statistics.lastPollTimestamp = Date().timeIntervalSince1970
            state.published = (state.snapshots, state.health.view, state.statistics)
            state.families = nil
        }
        for event in events { await publish(event) }
        events.sort { $0.name < $1.name }
        return events
    }

    /// The lag in seconds of each consumer: 0 when nothing is unacknowledged, else the age of the stream message
    /// after the ack floor (its store time, read with `STREAM.MSG.GET`); unknown when that message cannot be read.
    private func fillLag(timeout: Double) async {
        let (consumers, streams) = state.withLock { ($0.health.view.consumers, $0.health.view.streams) }
        let firstSequence = Dictionary(streams.map { ($0.key, $0.firstSequence ?? 0) }, uniquingKeysWith: { first, _ in first })
        let deadline = ContinuousClock.now.advanced(by: .seconds(timeout))
        var storeTimes: [String: Double] = [:]
        var lags: [ClusterView.ConsumerKey: Double] = [:]
        for consumer in consumers {
            guard consumer.unacknowledged > 0 else {
                lags[consumer.key] = 0
                continue
            }
            guard let jetStream, ContinuousClock.now < deadline else {
                continue
            }
            let sequence = max(consumer.ackFloor &+ 1, firstSequence[consumer.key.stream] ?? 0)
            let cacheKey = "\(consumer.key.stream.stream)\u{0}\(sequence)"
            if storeTimes[cacheKey] == nil,
                let message = try? await jetStream.getMessage(stream: consumer.key.stream.stream, sequence: sequence),
                let time = RFC3339.seconds(message.time)
            {
                storeTimes[cacheKey] = time
            }
            lags[consumer.key] = storeTimes[cacheKey].map { max(0, Date().timeIntervalSince1970 - $0) }
        }
        state.withLock { $0.health.setLags(lags) }
    }

    private func timed<T: Sendable>(_ work: @Sendable () async -> T?) async -> (T?, Double) {
        let start = ContinuousClock.now
        let result = await work()
        let elapsed = ContinuousClock.now - start
        return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}

/// A health setting that cannot be used; the message names the flag or key.
public struct HealthConfigurationError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension HealthCollector {
    /// Closes the system account's connection (after `run()` ends it is closed already).
    public func close() async {
        await system?.close()
    }
}
