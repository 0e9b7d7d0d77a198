import Foundation

/// A realistic, deterministic CIM workload: domain events from a dozen and more domains in the subject
/// shapes and envelopes CIM producers use, workflows that start, run steps and complete or fail under
/// one correlation id, GPU samples, about 3 % failures with error kinds, and now and then a producer
/// retry (a duplicate event id) or a malformed payload.
///
/// The sequence of messages — subjects, headers, payload shapes, labels, identifiers — is a function
/// of the seed; only times (and the time inside UUIDv7 ids) come from the clock passed to `next(at:)`.
///
/// ```swift
/// var workload = SimulatedWorkload(seed: 42)
/// let message = workload.next()      // subject, headers, payload, kind
/// ```
public struct SimulatedWorkload: Sendable {
    /// The share of each kind of traffic.
    static let domainShare = 72.0
    static let workflowShare = 20.0
    static let gpuSampleShare = 8.0
    static let malformedShare = 0.2
    static let duplicateShare = 0.2
    /// The probability that a domain event is one of the domain's failures, by default.
    public static let defaultFailureRate = 0.032

    public let seed: UInt64
    /// The probability that a domain event is one of the domain's failures (0...1).
    public let failureRate: Double
    var random: SplitMix64
    var workflows: [SimulatedWorkflow] = []
    var gpus: [SimulatedGPU] = []
    /// Aggregate ids per domain (index in `SimulatedDomain.catalog`), created on first use.
    var aggregates: [[String]]
    /// Per-aggregate sequence numbers (stored-event and agent envelopes carry them).
    var sequences: [String: Int] = [:]
    /// Recent correlations (correlation id, last message id) that later events continue.
    var correlations: [(correlation: String, message: String)] = []
    /// Recent ordinary events whose id is only in the payload: candidates for a producer retry.
    var retryable: [SimulatedMessage] = []
    /// Messages produced so far.
    public private(set) var produced = 0

    /// A workload whose sequence is determined by `seed` (and `failureRate`, clamped to 0...1; not a number is the
    /// default).
    public init(seed: UInt64, failureRate: Double = defaultFailureRate) {
        self.seed = seed
        self.failureRate = failureRate.isNaN ? Self.defaultFailureRate : min(1, max(0, failureRate))
        self.random = SplitMix64(seed: seed)
        self.aggregates = Array(repeating: [], count: SimulatedDomain.catalog.count)
    }

    /// The next message, timed now.
    public mutating func next() -> SimulatedMessage {
        next(at: SimulatedTimestamp(seconds: Date().timeIntervalSince1970))
    }

    /// The next message, with event times and UUIDv7 ids taken from `now`.
    public mutating func next(at now: SimulatedTimestamp) -> SimulatedMessage {
        produced += 1
        // Producers stamp events a little before they reach NATS; a few are late.
        let delay = random.chance(0.02) ? random.double(in: 0.5...3) : random.double(in: 0...0.05)
        let time = SimulatedTimestamp(seconds: now.seconds - delay)
        let weights = [Self.domainShare, Self.workflowShare, Self.gpuSampleShare, Self.malformedShare, Self.duplicateShare]
        switch random.weightedIndex(weights) {
        case 1: return nextWorkflowEvent(at: time)
        case 2: return gpuEvent(at: time)
        case 3: return malformed(at: time)
        case 4 where !retryable.isEmpty: return retry()
        default: return domainEvent(at: time)
        }
    }

    /// The domains the workload publishes events for (as the monitor labels them).
    public static let domains: [String] = SimulatedDomain.catalog.map(\.name) + ["workflow"]

    /// Stream subjects that capture everything the workload publishes, and nothing of NATS's own
    /// (`$JS.>`, `$KV.>`, `_INBOX.>`) or other producers' commands.
    public static let streamSubjects: [String] = {
        var subjects = ["cim.>", "events.>"]
        for domain in SimulatedDomain.catalog {
            for spec in domain.events + domain.failures {
                let subject: String
                switch spec.shape {
                case .cimAggregate, .cimEvent, .cimContext, .eventStore: continue
                case .domainAggregateID, .domainAggregate: subject = "\(domain.name).events.>"
                case .versioned: subject = "\(domain.name).*.*.v1"
                case .contextID: subject = "\(domain.name).*.*.*"
                }
                if !subjects.contains(subject) { subjects.append(subject) }
            }
        }
        return subjects
    }()

    /// A fresh UUIDv7 at `time`.
    mutating func newID(at time: SimulatedTimestamp) -> String {
        SimulatedID.uuidV7(milliseconds: time.milliseconds, random: &random)
    }

    /// The next sequence number of an aggregate.
    mutating func nextSequence(of aggregate: String) -> Int {
        let sequence = (sequences[aggregate] ?? 0) + 1
        sequences[aggregate] = sequence
        return sequence
    }

    /// An aggregate of the domain at `index`: mostly a known one, sometimes a new one.
    mutating func aggregateID(domain index: Int) -> String {
        if aggregates[index].count < 12 || random.chance(0.05) {
            let id = SimulatedID.uuidV4(random: &random)
            if aggregates[index].count < 12 {
                aggregates[index].append(id)
            } else {
                let slot = random.below(aggregates[index].count)
                sequences[aggregates[index][slot]] = nil
                aggregates[index][slot] = id
            }
            return id
        }
        return random.pick(aggregates[index])
    }

    /// Correlation and causation for a new event: usually a new root (both equal to the event id),
    /// sometimes the continuation of a recent correlation.
    mutating func correlation(for eventID: String) -> (correlation: String, causation: String) {
        if !correlations.isEmpty && random.chance(0.25) {
            let slot = random.below(correlations.count)
            let (correlation, previous) = correlations[slot]
            correlations[slot].message = eventID
            return (correlation, previous)
        }
        if correlations.count < 32 {
            correlations.append((eventID, eventID))
        } else {
            correlations[random.below(correlations.count)] = (eventID, eventID)
        }
        return (eventID, eventID)
    }

    /// A copy of a recent event: a producer that retried after a lost ack.
    mutating func retry() -> SimulatedMessage {
        var message = random.pick(retryable)
        message.kind = .duplicate
        return message
    }

    mutating func remember(retryable message: SimulatedMessage) {
        if retryable.count < 16 {
            retryable.append(message)
        } else {
            retryable[random.below(retryable.count)] = message
        }
    }
}
