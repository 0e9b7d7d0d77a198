import Foundation
import NATSCore
import NIOCore
import Synchronization

/// The loop behind continuous pull consumption, for durable consumers and for the ordered consumer.
///
/// It keeps pull requests topped up (`PullStateMachine`), reads the pull inbox, tells user messages from status
/// messages, and recovers: a watchdog resets consumption when neither messages nor heartbeats arrive for two
/// heartbeat intervals, or after the client reconnected, so consumption never silently stops. The ordered mode
/// also recreates its ephemeral consumer at the last stream sequence + 1 on any gap (`OrderedSequenceTracker`).
final class PullEngine {
    enum Mode {
        case durable(name: String)
        case ordered(template: ConsumerConfig, stopAt: UInt64?)
    }

    let jetStream: JetStream
    let stream: String
    private var mode: Mode
    private let expires: Double
    private let heartbeat: Double
    private var pull: PullStateMachine
    private var tracker = OrderedSequenceTracker()
    private var consumerName: String?
    private var subscription: NATSSubscription?
    private var iterator: NATSSubscription.AsyncIterator?
    private var inbox = ""
    private var serial = 0
    private let namePrefix = NUID.next()
    private var finished = false
    private let watch: ConsumerActivity
    /// Ends the current watchdog (a job of the client's work loop).
    private var watchdogStop: AsyncStream<Void>.Continuation?
    /// The stream's `created` the ordered mode must find after creating each consumer, when set.
    private let streamCreated: String?

    init(
        jetStream: JetStream,
        stream: String,
        mode: Mode,
        batch: Int,
        expires: Double,
        heartbeat: Double,
        activity: ConsumerActivity? = nil,
        streamCreated: String? = nil
    ) {
        self.jetStream = jetStream
        self.stream = stream
        self.mode = mode
        self.expires = expires
        self.heartbeat = heartbeat
        self.pull = PullStateMachine(batch: batch)
        self.watch = activity ?? ConsumerActivity()
        self.streamCreated = streamCreated
        if case .ordered(let template, _) = mode, template.deliverPolicy == .byStartSequence, let start = template.optStartSeq, start > 0 {
            tracker = OrderedSequenceTracker(startAfter: start - 1)
        }
    }

    deinit {
        watchdogStop?.finish()
        if let subscription { jetStream.client.unsubscribeInBackground(sid: subscription.sink.sid) }
        if case .ordered = mode, let consumerName { deleteInBackground(consumerName) }
    }

    /// Deletes an ordered consumer that is no longer read, as a job of the client's work loop (the server would
    /// remove it after its inactive threshold anyway).
    private func deleteInBackground(_ name: String) {
        let jetStream = self.jetStream
        let stream = self.stream
        jetStream.client.schedule(.job { try? await jetStream.deleteConsumer(stream: stream, name: name) })
    }

    /// The stream sequence of the last message handed out (ordered mode).
    var lastStreamSequence: UInt64 { tracker.lastStreamSequence }

    /// How many times consumption was reset (gaps, stalls, reconnects).
    private(set) var resets = 0

    func next() async throws -> JetStreamMessage? {
        if finished { return nil }
        if iterator == nil {
            try await restart(initial: true)
            if finished { return nil }
        }
        while true {
            guard let message = await iterator!.next() else {
                if Task.isCancelled || !jetStream.client.isUsable { return nil }
                resets += 1
                try await restart(initial: false)
                if finished { return nil }
                continue
            }
            watch.touch()
            if let reply = message.replyTo, reply.hasPrefix("$JS.ACK.") {
                guard let delivered = JetStreamMessage(message, client: jetStream.client, stream: stream, consumer: consumerName) else { continue }
                let metadata = delivered.metadata
                if case .ordered(_, let stopAt) = mode {
                    guard metadata.consumer == consumerName else { continue }  // from a consumer we already replaced
                    if case .reset = tracker.received(consumerSequence: metadata.consumerSequence, streamSequence: metadata.streamSequence) {
                        resets += 1
                        try await restart(initial: false)
                        if finished { return nil }
                        continue
                    }
                    if let stopAt, metadata.streamSequence >= stopAt || metadata.pending == 0 { finish() }
                }
                if !finished, case .pull(let count) = pull.messageReceived() { try await requestMessages(count) }
                return delivered
            }
            try await handleStatus(message)
            if finished { return nil }
        }
    }

    private func handleStatus(_ message: NATSMessage) async throws {
        guard let headers = message.headers, let code = headers.status else { return }
        if code == 100, let reply = message.replyTo {
            // Flow control request: answer it.
            try await jetStream.client.publish(ByteBuffer(), to: reply)
            return
        }
        if code == 100, case .ordered = mode, let last = headers["Nats-Last-Consumer"].flatMap(UInt64.init),
            last != tracker.lastConsumerSequence
        {
            resets += 1
            try await restart(initial: false)
            return
        }
        let pending = headers["Nats-Pending-Messages"].flatMap(Int.init)
        switch pull.statusReceived(code: code, description: headers.statusDescription ?? "", pendingMessages: pending) {
        case .none:
            break
        case .pull(let count):
            try await requestMessages(count)
        case .terminate(let why):
            if case .ordered = mode {
                resets += 1
                try await restart(initial: false)
            } else {
                finish()
                throw JetStreamError(status: code, errCode: -1, message: "consumer \(consumerName ?? "") on \(stream) ended: \(why)")
            }
        }
    }

    private func finish() {
        finished = true
        watchdogStop?.finish()
    }

    /// Starts, or starts again after a gap, stall or reconnect.
    private func restart(initial: Bool) async throws {
        if let subscription {
            try? await subscription.unsubscribe()
        }
        var attempt = 0
        while true {
            do {
                try await open(initial: initial)
                return
            } catch let error as JetStreamError where error == .streamNotFound || error == .streamRecreated || error.errCode == -3 {
                throw error
            } catch {
                // The server may be restarting or electing a leader: retry with backoff while the client lives.
                guard jetStream.client.isUsable, !Task.isCancelled else { throw error }
                attempt += 1
                try await Task.sleep(for: .milliseconds(min(250 * attempt, 2000)))
            }
        }
    }

    private func open(initial: Bool) async throws {
        inbox = "\(jetStream.client.options.inboxPrefix).\(NUID.next())"
        let subscription = try await jetStream.client.subscribe(to: inbox)
        self.subscription = subscription
        iterator = subscription.makeAsyncIterator()
        switch mode {
        case .durable(let name):
            consumerName = name
        case .ordered(let template, let stopAt):
            let previous = consumerName
            serial += 1
            var config = template
            config.name = "\(namePrefix)_\(serial)"
            config.durableName = nil
            config.ackPolicy = .none
            config.maxDeliver = 1
            config.numReplicas = 1
            config.memStorage = true
            config.inactiveThreshold = config.inactiveThreshold ?? 300_000_000_000
            if !initial || tracker.lastStreamSequence > 0 {
                config.deliverPolicy = .byStartSequence
                config.optStartSeq = tracker.nextStreamSequence
                config.optStartTime = nil
            }
            if let stopAt, tracker.lastStreamSequence >= stopAt {
                finish()
                return
            }
            let info = try await jetStream.createConsumer(stream: stream, config: config)
            consumerName = info.name
            // Checked after creating: a consumer made on a stream that was replaced before this check is caught
            // here, and one whose stream is replaced later is deleted with it (and the next creation checks).
            if let streamCreated, try await jetStream.streamInfo(stream).created != streamCreated {
                throw JetStreamError.streamRecreated
            }
            tracker.consumerRecreated()
            if let previous { deleteInBackground(previous) }
            if stopAt != nil && info.numPending == 0 {
                finish()
                return
            }
        }
        startWatchdog(subscription)
        if case .pull(let count) = pull.started() { try await requestMessages(count) }
    }

    private func requestMessages(_ count: Int) async throws {
        guard let consumerName else { return }
        let body =
            "{\"batch\":\(count),\"expires\":\(Int64(expires * 1e9)),\"idle_heartbeat\":\(Int64(heartbeat * 1e9))}"
        try await jetStream.client.publish(
            body,
            to: "\(jetStream.apiPrefix).CONSUMER.MSG.NEXT.\(stream).\(consumerName)",
            replyTo: inbox
        )
    }

    /// Resets consumption when nothing arrives for two heartbeats, or after a reconnect.
    /// It runs as a job of the client's work loop until it fires, a new watchdog replaces it, or the engine ends.
    private func startWatchdog(_ subscription: NATSSubscription) {
        watchdogStop?.finish()
        let (stop, stopContinuation) = AsyncStream.makeStream(of: Void.self)
        watchdogStop = stopContinuation
        watch.touch()
        let watch = self.watch
        let heartbeat = self.heartbeat
        let client = jetStream.client
        let sid = subscription.sink.sid
        let events = client.events
        client.schedule(
            .job {
                await Self.watch(stop: stop, events: events, activity: watch, heartbeat: heartbeat, client: client, sid: sid)
            }
        )
    }

    private static func watch(
        stop: AsyncStream<Void>,
        events: AsyncStream<ConnectionEvent>,
        activity watch: ConsumerActivity,
        heartbeat: Double,
        client: NATSClient,
        sid: UInt64
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in stop {}
            }
            group.addTask {
                for await event in events {
                    if case .reconnected = event {
                        client.unsubscribeInBackground(sid: sid)
                        return
                    }
                }
            }
            group.addTask {
                var seen = watch.count
                var quietIntervals = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(heartbeat))
                    if Task.isCancelled { return }
                    let now = watch.count
                    quietIntervals = now == seen ? quietIntervals + 1 : 0
                    seen = now
                    if quietIntervals >= 2 {
                        client.unsubscribeInBackground(sid: sid)
                        return
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}

/// Counts what a consumer's pull inbox receives (messages and heartbeats), so a watchdog can tell a stalled
/// consumer from an idle one without reading clocks per message.
public final class ConsumerActivity: Sendable {
    private let activity = Atomic<Int>(0)

    public init() {}

    func touch() { activity.add(1, ordering: .relaxed) }

    /// Grows with every message or heartbeat received.
    public var count: Int { activity.load(ordering: .relaxed) }
}
