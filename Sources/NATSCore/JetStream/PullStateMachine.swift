/// Flow control of continuous pull consumption: how many messages are requested and not yet delivered,
/// when to ask for more, and what each status message means.
///
/// Messages are asked for in requests of up to `batch`; when fewer than `threshold` remain outstanding the
/// machine asks to top up. Terminal statuses end consumption; `408`/`409` expiries release their outstanding count.
public struct PullStateMachine: Sendable, Equatable {
    public enum Action: Equatable, Sendable {
        case none
        /// Send a pull request for this many messages.
        case pull(Int)
        /// Consumption cannot continue (consumer deleted, push-based, …).
        case terminate(String)
    }

    public let batch: Int
    public let threshold: Int
    public private(set) var outstanding = 0

    public init(batch: Int, threshold: Int? = nil) {
        precondition(batch > 0, "a pull asks for at least one message")
        self.batch = batch
        self.threshold = max(1, min(threshold ?? batch / 2, batch))
    }

    /// Start, or start again after a reset: nothing is outstanding any more.
    public mutating func started() -> Action {
        outstanding = 0
        return topUp()
    }

    public mutating func messageReceived() -> Action {
        outstanding = max(0, outstanding - 1)
        return topUp()
    }

    /// A status message (`NATS/1.0 <code> <description>`) arrived on the pull inbox.
    public mutating func statusReceived(code: Int, description: String, pendingMessages: Int?) -> Action {
        switch code {
        case 100:
            return .none
        case 404, 408:
            // No messages / request expired: that request is over.
            outstanding = max(0, outstanding - (pendingMessages ?? outstanding))
            return topUp()
        case 409:
            let lower = description.lowercased()
            if lower.contains("consumer deleted") || lower.contains("push based") {
                return .terminate(description)
            }
            outstanding = max(0, outstanding - (pendingMessages ?? outstanding))
            return topUp()
        default:
            return .none
        }
    }

    private mutating func topUp() -> Action {
        guard outstanding < threshold else { return .none }
        let more = batch - outstanding
        outstanding = batch
        return .pull(more)
    }
}

/// Ordered delivery: every stream sequence once, in order. A consumer-sequence gap means a message was missed,
/// and the consumer must be recreated at the last stream sequence + 1.
public struct OrderedSequenceTracker: Sendable, Equatable {
    public enum Decision: Equatable, Sendable {
        case deliver
        /// Drop the message and recreate the consumer starting at this stream sequence.
        case reset(startAt: UInt64)
    }

    public private(set) var lastStreamSequence: UInt64
    public private(set) var lastConsumerSequence: UInt64 = 0

    /// `startAfter` is the stream sequence already seen (0 when none).
    public init(startAfter: UInt64 = 0) {
        lastStreamSequence = startAfter
    }

    public mutating func received(consumerSequence: UInt64, streamSequence: UInt64) -> Decision {
        // Sequences come from the wire: saturating arithmetic, so a server that sends UInt64.max cannot crash us.
        guard lastConsumerSequence < .max, consumerSequence == lastConsumerSequence + 1 else {
            return .reset(startAt: nextStreamSequence)
        }
        lastConsumerSequence = consumerSequence
        lastStreamSequence = streamSequence
        return .deliver
    }

    /// The stream sequence after the last one seen (saturating at `UInt64.max`).
    public var nextStreamSequence: UInt64 { lastStreamSequence == .max ? .max : lastStreamSequence + 1 }

    /// A new consumer starts counting at 1 again.
    public mutating func consumerRecreated() {
        lastConsumerSequence = 0
    }
}
