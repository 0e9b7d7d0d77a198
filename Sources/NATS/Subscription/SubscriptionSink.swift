import NATSCore
import Synchronization

/// The buffer between the connection's event loop and one subscription's consumer.
///
/// The event loop appends batches; the consumer takes everything buffered at once, so a lock is taken once per
/// batch on either side. Past the pending limits messages are dropped, counted in `dropped`, and reported once
/// per episode through `onSlowConsumer`.
final class SubscriptionSink: Sendable {
    private struct State {
        var buffer: [NATSMessage] = []
        var pendingBytes = 0
        var waiter: CheckedContinuation<Void, Never>?
        var finished = false
        var dropped = 0
        var slow = false
        var delivered = 0
        var received = 0
    }

    let sid: UInt64
    let subject: String
    let queue: String?
    let messageLimit: Int
    let byteLimit: Int
    /// Auto-unsubscribe after this many messages.
    let maxMessages: Int?
    private let state = Mutex(State())
    private let onSlowConsumer: @Sendable (_ subject: String, _ dropped: Int) -> Void

    init(
        sid: UInt64,
        subject: String,
        queue: String?,
        messageLimit: Int,
        byteLimit: Int,
        maxMessages: Int? = nil,
        onSlowConsumer: @escaping @Sendable (String, Int) -> Void
    ) {
        self.sid = sid
        self.subject = subject
        self.queue = queue
        self.messageLimit = messageLimit
        self.byteLimit = byteLimit
        self.maxMessages = maxMessages
        self.onSlowConsumer = onSlowConsumer
    }

    /// Appends a batch from the event loop, leaving `messages` empty (with capacity for the next batch).
    ///
    /// When everything fits and nothing is buffered, the batch itself becomes the buffer: no message is copied.
    func append(contentsOf messages: inout [NATSMessage]) {
        var newlySlow = 0
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard !state.finished else {
                messages.removeAll(keepingCapacity: true)
                return nil
            }
            var accepted = messages.count
            if let maxMessages, state.received + accepted >= maxMessages {
                accepted = max(0, maxMessages - state.received)
                state.finished = true
            }
            var bytes = 0
            for index in 0..<accepted { bytes += messages[index].size }
            if state.buffer.count + accepted <= messageLimit && state.pendingBytes + bytes <= byteLimit {
                state.received += accepted
                state.pendingBytes += bytes
                state.slow = false
                if accepted < messages.count { messages.removeSubrange(accepted...) }
                if state.buffer.isEmpty {
                    swap(&state.buffer, &messages)
                } else {
                    state.buffer.append(contentsOf: messages)
                }
            } else {
                newlySlow = appendEach(&state, messages[0..<accepted])
            }
            messages.removeAll(keepingCapacity: true)
            defer { state.waiter = nil }
            return state.buffer.isEmpty && !state.finished ? nil : state.waiter
        }
        waiter?.resume()
        if newlySlow > 0 { onSlowConsumer(subject, newlySlow) }
    }

    /// Appends message by message up to the pending limits, dropping the rest; returns the dropped count when this
    /// batch made the subscription slow (0 otherwise).
    private func appendEach(_ state: inout State, _ messages: ArraySlice<NATSMessage>) -> Int {
        var newlySlow = 0
        for message in messages {
            state.received += 1
            let size = message.size
            if state.buffer.count >= messageLimit || state.pendingBytes + size > byteLimit {
                state.dropped += 1
                if !state.slow {
                    state.slow = true
                    newlySlow = state.dropped
                }
                continue
            }
            state.slow = false
            state.pendingBytes += size
            state.buffer.append(message)
        }
        return newlySlow
    }

    /// Ends the sequence after what is buffered has been consumed.
    func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Takes every buffered message, waiting for one when none is buffered; empty when finished.
    nonisolated(nonsending) func take() async -> [NATSMessage] {
        while true {
            enum Step {
                case batch([NATSMessage])
                case done, wait
            }
            let step: Step = state.withLock { state in
                if !state.buffer.isEmpty {
                    var batch: [NATSMessage] = []
                    swap(&batch, &state.buffer)
                    state.pendingBytes = 0
                    state.delivered += batch.count
                    return .batch(batch)
                }
                return state.finished ? .done : .wait
            }
            switch step {
            case .batch(let batch): return batch
            case .done: return []
            case .wait:
                if Task.isCancelled { return [] }
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let resumeNow = state.withLock { state in
                            if !state.buffer.isEmpty || state.finished || state.waiter != nil { return true }
                            state.waiter = continuation
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    let waiter = state.withLock { state in
                        defer { state.waiter = nil }
                        return state.waiter
                    }
                    waiter?.resume()
                }
            }
        }
    }

    /// Messages dropped because the consumer fell behind.
    var dropped: Int { state.withLock { $0.dropped } }
    /// Messages handed to the consumer.
    var delivered: Int { state.withLock { $0.delivered } }
    var pendingMessages: Int { state.withLock { $0.buffer.count } }
    /// Messages that arrived, delivered or dropped.
    var received: Int { state.withLock { $0.received } }
    var isFinished: Bool { state.withLock { $0.finished } }
}
