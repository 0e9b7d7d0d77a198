import Foundation
import NATSCore
import NIOCore
import Synchronization

/// Publishes into streams without waiting for each ack: up to `window` acks are outstanding at once.
///
/// ```swift
/// let publisher = try await JetStreamPublisher(jetStream, window: 512)
/// for event in events { try await publisher.publish(event, to: subject) }
/// let summary = try await publisher.finish()   // every ack received; failures counted
/// ```
public final class JetStreamPublisher: Sendable {
    public struct Summary: Sendable, Equatable {
        public var acknowledged = 0
        public var duplicates = 0
        public var failed = 0
        public var lastSequence: UInt64 = 0
        /// The first failure, if any.
        public var firstError: String?
    }

    private struct State {
        var outstanding = 0
        var nextID = 0
        var summary = Summary()
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Shared by publishers and the task that reads acks.
    private final class Tracker: Sendable {
        let state = Mutex(State())
    }

    private let jetStream: JetStream
    private let window: Int
    private let inbox: String
    private let subscription: NATSSubscription
    private let tracker = Tracker()
    private let reader: Task<Void, Never>

    public init(_ jetStream: JetStream, window: Int = 256) async throws {
        precondition(window > 0, "the window must hold at least one publish")
        self.jetStream = jetStream
        self.window = window
        self.inbox = "\(jetStream.client.options.inboxPrefix).\(NUID.next())."
        let subscription = try await jetStream.client.subscribe(to: inbox + "*")
        self.subscription = subscription
        let tracker = self.tracker
        reader = Task {
            for await reply in subscription {
                let result: Result<PubAck, any Error>
                if reply.status == 503 {
                    result = .failure(JetStreamError(status: 503, errCode: -1, message: "no stream listens on the subject"))
                } else {
                    result = Result { try JetStream.decode(PubAck.self, from: reply.payload, endpoint: "publish") }
                }
                let waiters = tracker.state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.outstanding -= 1
                    switch result {
                    case .success(let ack):
                        state.summary.acknowledged += 1
                        if ack.duplicate == true { state.summary.duplicates += 1 }
                        state.summary.lastSequence = max(state.summary.lastSequence, ack.seq)
                    case .failure(let error):
                        state.summary.failed += 1
                        if state.summary.firstError == nil { state.summary.firstError = "\(error)" }
                    }
                    defer { state.waiters.removeAll() }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume() }
            }
        }
    }

    /// Publishes; waits only while `window` acks are outstanding.
    public func publish(_ payload: ByteBuffer, to subject: String, headers: NATSHeaders? = nil, messageID: String? = nil) async throws {
        while true {
            let ticket: Int? = tracker.state.withLock { state in
                guard state.outstanding < window else { return nil }
                state.outstanding += 1
                state.nextID += 1
                return state.nextID
            }
            if let ticket {
                let headers = JetStream.publishHeaders(headers, messageID: messageID, expect: .init())
                do {
                    try await jetStream.client.publish(payload, to: subject, replyTo: inbox + String(ticket), headers: headers)
                } catch {
                    tracker.state.withLock { $0.outstanding -= 1 }
                    throw error
                }
                return
            }
            await waitForAck()
        }
    }

    private func waitForAck() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = tracker.state.withLock { state -> Bool in
                if state.outstanding < window { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Waits for every outstanding ack (up to `timeout` seconds) and returns the totals.
    public func finish(timeout: Double = 30) async throws -> Summary {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while tracker.state.withLock({ $0.outstanding }) > 0 {
            guard ContinuousClock.now < deadline else {
                throw NATSError(.timeout, "\(tracker.state.withLock { $0.outstanding }) publish acks did not arrive within \(timeout)s")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        try? await subscription.unsubscribe()
        return tracker.state.withLock { $0.summary }
    }

    /// Totals so far.
    public var summary: Summary { tracker.state.withLock { $0.summary } }

    deinit {
        reader.cancel()
    }
}
