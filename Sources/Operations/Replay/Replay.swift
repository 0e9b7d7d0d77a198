import CIMEvents
import Foundation
import Monitor
import NATS
import NATSCore
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads selected messages back out of a stream and writes them as JSON Lines, republishes them, or counts them.
///
/// The server does what it can (start sequence or time, subject filters, and the aggregate's subjects when every
/// subject of the stream carries an id); the client checks the rest (labels through `EventMapper`, the aggregate id
/// in headers or payload, the end of the time range). Reading ends at `--to-seq` or at the stream's last sequence
/// when the replay started, so a busy stream cannot keep it running.
public struct Replay: Sendable {
    public struct Progress: Sendable {
        public var scanned: UInt64
        public var matched: UInt64
        public var lastSequence: UInt64
        public var stopAt: UInt64
    }

    public struct Summary: Sendable, Equatable {
        public var scanned: UInt64 = 0
        public var matched: UInt64 = 0
        public var firstSequence: UInt64?
        public var lastSequence: UInt64?
        /// Republished messages the target stored; `duplicates` it already held (same `Nats-Msg-Id`).
        public var published = 0
        public var duplicates = 0
        public var plan: ReplayPlan?
    }

    public let jetStream: JetStream
    public let stream: String
    public let selection: ReplaySelection
    public let rules: [SubjectRule]
    public let maxPayloadBytes: Int
    public let output: ReplayOutput
    /// Messages per second at most; `nil` for as fast as possible.
    public let rate: Double?
    public let batch: Int

    public init(
        jetStream: JetStream,
        stream: String,
        selection: ReplaySelection,
        rules: [SubjectRule] = [],
        maxPayloadBytes: Int = 1 << 20,
        output: ReplayOutput,
        rate: Double? = nil,
        batch: Int = 2000
    ) {
        self.jetStream = jetStream
        self.stream = stream
        self.selection = selection
        self.rules = rules
        self.maxPayloadBytes = maxPayloadBytes
        self.output = output
        self.rate = rate
        self.batch = batch
    }

    /// The deterministic `Nats-Msg-Id` of a republished message: the same replay twice stores nothing new within
    /// the target's duplicate window.
    public static func messageID(stream: String, sequence: UInt64) -> String { "cim-replay:\(stream):\(sequence)" }

    /// Runs the replay; `progress` is called about every 4096 messages read.
    public func run(progress: (Progress) -> Void = { _ in }) async throws -> Summary {
        try selection.validate()
        let info: StreamInfo
        do {
            info = try await jetStream.streamInfo(stream)
        } catch let error as JetStreamError where error == .streamNotFound {
            throw ReplayError("stream \(stream) not found: list the streams with `cim-monitor stream ls`")
        }
        let plan = try ReplayPlan.make(
            stream: stream,
            selection: selection,
            state: info.state,
            aggregateInSubjects: try await aggregateInSubjects(info)
        )
        var summary = Summary(plan: plan)
        var publisher: JetStreamPublisher?
        if case .republish = output { publisher = try await JetStreamPublisher(jetStream, window: 512) }
        var writer = LineWriter(descriptor: { if case .lines(let descriptor) = output { descriptor } else { -1 } }())
        var mapper = EventMapper(rules: rules, maxPayloadBytes: maxPayloadBytes)
        let clock = ContinuousClock()
        let started = clock.now
        let consumer = jetStream.orderedConsumer(
            stream: stream,
            filterSubjects: plan.filterSubjects,
            start: plan.start,
            stopAt: plan.stopAt,
            batch: batch
        )
        for try await message in consumer {
            let metadata = message.metadata
            if metadata.streamSequence > plan.stopAt { break }
            summary.scanned += 1
            if summary.scanned & 4095 == 0 {
                progress(Progress(scanned: summary.scanned, matched: summary.matched, lastSequence: metadata.streamSequence, stopAt: plan.stopAt))
            }
            if let until = selection.until, metadata.timestamp > until { break }
            guard selects(message, metadata: metadata, mapper: &mapper) else { continue }
            summary.matched += 1
            if summary.firstSequence == nil { summary.firstSequence = metadata.streamSequence }
            summary.lastSequence = metadata.streamSequence
            if let rate, rate > 0 {
                let due = started + .seconds(Double(summary.matched - 1) / rate)
                if clock.now < due { try await Task.sleep(until: due, clock: clock) }
            }
            switch output {
            case .dryRun:
                break
            case .lines:
                writer.append(message, sequence: metadata.streamSequence, time: metadata.timestampNanoseconds)
                if !writer.flushIfFull() { return summary }
            case .republish(let prefix, let target):
                try await publisher?.publish(
                    message.payload,
                    to: "\(prefix).\(message.subject)",
                    headers: Self.republishHeaders(message.headers, stream: stream, sequence: metadata.streamSequence, target: target),
                    messageID: Self.messageID(stream: stream, sequence: metadata.streamSequence)
                )
            }
        }
        _ = writer.flush()
        if let publisher {
            let result = try await publisher.finish()
            summary.published = result.acknowledged - result.duplicates
            summary.duplicates = result.duplicates
            if result.failed > 0 {
                throw ReplayError("\(result.failed) republished messages were refused: \(result.firstError ?? "unknown error")")
            }
        }
        progress(Progress(scanned: summary.scanned, matched: summary.matched, lastSequence: plan.stopAt, stopAt: plan.stopAt))
        if summary.matched == 0, selection.since != nil || selection.until != nil {
            throw ReplayError.emptyRange(stream, "in that time range" + (summary.scanned > 0 ? " matching the selection" : ""))
        }
        return summary
    }

    /// Whether every message of the stream has a subject shape that carries an aggregate id: then the server's
    /// subject filters select one aggregate exactly. Asked only for an aggregate replay without `--subject`.
    private func aggregateInSubjects(_ info: StreamInfo) async throws -> Bool {
        guard let id = selection.aggregate, selection.subjects.isEmpty, AggregateID.subjectFilters(for: id) != nil else { return false }
        var config = ConsumerConfig(ackPolicy: .none)
        config.name = "cim_replay_probe_\(NUID.next())"
        config.filterSubjects = AggregateID.shapeFilters
        config.inactiveThreshold = 10_000_000_000
        config.memStorage = true
        config.numReplicas = 1
        let probe = try await jetStream.createConsumer(stream: stream, config: config)
        try? await jetStream.deleteConsumer(stream: stream, name: probe.name)
        guard probe.numPending == info.state.messages else { return false }
        // `*.events.*.*.*` also holds `cim.events.events.*.*`, which the profile reads as another shape.
        let odd = try await jetStream.streamInfo(stream, subjectsFilter: "cim.events.events.*.*")
        return (odd.state.subjects ?? [:]).isEmpty
    }

    private func selects(_ message: JetStreamMessage, metadata: AckMetadata, mapper: inout EventMapper) -> Bool {
        if let since = selection.since, metadata.timestamp < since { return false }
        if let id = selection.aggregate {
            guard AggregateID.find(subject: message.subject, headers: message.headers, payload: message.payload) == id else { return false }
        }
        guard selection.needsMapping else { return true }
        let event = mapper.map(message.message, reference: metadata.timestamp)
        if let domain = selection.domain, event.domain != domain { return false }
        if let eventType = selection.eventType, event.eventType != eventType { return false }
        if let correlation = selection.correlation, event.correlationID != correlation { return false }
        return true
    }

    /// The original headers, less those that would make the target refuse or roll up (`Nats-Expected-*`,
    /// `Nats-Rollup`, `Nats-Msg-Id`, replaced by the replay's own), plus `Cim-Replay-Of: <stream>:<seq>`.
    static func republishHeaders(_ original: NATSHeaders?, stream: String, sequence: UInt64, target: String?) -> NATSHeaders {
        var headers = NATSHeaders()
        for field in original ?? NATSHeaders() {
            let name = field.name.lowercased()
            if name.hasPrefix("nats-expected-") || name == "nats-rollup" || name == "nats-msg-id" || name == "cim-replay-of" { continue }
            headers.append(field.name, field.value)
        }
        headers.set("Cim-Replay-Of", "\(stream):\(sequence)")
        if let target { headers.set("Nats-Expected-Stream", target) }
        return headers
    }
}
