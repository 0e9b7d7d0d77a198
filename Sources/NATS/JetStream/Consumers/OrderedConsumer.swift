import NATSCore

/// Reads a stream in order, every stream sequence exactly once, across gaps, server restarts and reconnects.
///
/// Ephemeral, no acks: on any sequence gap, lost consumer, missed heartbeats or reconnect it recreates its consumer
/// at the last seen stream sequence + 1. With `stopAt` it ends after that stream sequence (or when nothing more is
/// pending), which is how "everything the stream holds now" is read.
///
/// When the stream is deleted, iteration throws `JetStreamError.streamNotFound` (it does not retry or end
/// quietly). With ``bound(toStreamCreated:)`` it also throws `JetStreamError.streamRecreated` when a consumer
/// (re)creation finds a stream of the same name but another creation time: a recreated stream restarts its
/// sequences, which a consumer resuming at its last sequence + 1 would silently skip.
public struct OrderedConsumer: AsyncSequence, Sendable {
    public typealias Element = JetStreamMessage

    /// Where reading begins.
    public enum Start: Sendable, Equatable {
        case all
        case new
        case last
        /// The last message of each subject, then everything new.
        case lastPerSubject
        /// At this stream sequence.
        case sequence(UInt64)
        /// At the first message stored at or after this RFC 3339 time.
        case time(String)
    }

    let jetStream: JetStream
    let stream: String
    let config: ConsumerConfig
    let stopAt: UInt64?
    let batch: Int
    let expires: Double
    let heartbeat: Double
    var activity: ConsumerActivity?
    var streamCreated: String?

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(
            engine: PullEngine(
                jetStream: jetStream,
                stream: stream,
                mode: .ordered(template: config, stopAt: stopAt),
                batch: batch,
                expires: expires,
                heartbeat: heartbeat,
                activity: activity,
                streamCreated: streamCreated
            )
        )
    }

    /// The same consumer, counting what it receives (messages and heartbeats) in `activity`.
    public func counting(_ activity: ConsumerActivity) -> OrderedConsumer {
        var copy = self
        copy.activity = activity
        return copy
    }

    /// The same consumer, bound to the stream created at `created` (`StreamInfo.created`): each time it creates its
    /// consumer it checks the stream's creation time and throws `JetStreamError.streamRecreated` when it differs.
    public func bound(toStreamCreated created: String) -> OrderedConsumer {
        var copy = self
        copy.streamCreated = created
        return copy
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let engine: PullEngine

        public mutating func next() async throws -> JetStreamMessage? {
            try await engine.next()
        }

        /// The stream sequence of the last message returned.
        public var lastStreamSequence: UInt64 { engine.lastStreamSequence }
        /// How many times the consumer was recreated.
        public var resets: Int { engine.resets }
    }
}

extension JetStream {
    /// An ordered consumer over `stream`, optionally filtered, from `start`, ending after `stopAt`.
    ///
    /// - Parameters:
    ///   - batch: messages per pull request (more is faster, costs memory).
    ///   - heartbeat: seconds between idle heartbeats; two missed ones reset the consumer.
    public func orderedConsumer(
        stream: String,
        filterSubjects: [String] = [],
        start: OrderedConsumer.Start = .all,
        stopAt: UInt64? = nil,
        batch: Int = 1000,
        expires: Double = 30,
        heartbeat: Double = 5
    ) -> OrderedConsumer {
        var config = ConsumerConfig(ackPolicy: .none)
        switch start {
        case .all: config.deliverPolicy = .all
        case .new: config.deliverPolicy = .new
        case .last: config.deliverPolicy = .last
        case .lastPerSubject: config.deliverPolicy = .lastPerSubject
        case .sequence(let sequence):
            config.deliverPolicy = .byStartSequence
            config.optStartSeq = max(sequence, 1)
        case .time(let time):
            config.deliverPolicy = .byStartTime
            config.optStartTime = time
        }
        if filterSubjects.count == 1 {
            config.filterSubject = filterSubjects[0]
        } else if filterSubjects.count > 1 {
            config.filterSubjects = filterSubjects
        }
        return OrderedConsumer(
            jetStream: self,
            stream: stream,
            config: config,
            stopAt: stopAt,
            batch: batch,
            expires: expires,
            heartbeat: min(heartbeat, expires / 2)
        )
    }
}
