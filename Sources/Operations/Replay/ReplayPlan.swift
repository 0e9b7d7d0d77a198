import CIMEvents
import NATS

/// How a replay reads its stream: where the server starts, which subjects it filters, where reading ends, and
/// what the client still has to check. Pure: made from the selection and the stream's state at the start.
public struct ReplayPlan: Sendable, Equatable {
    /// The server's start position (`opt_start_seq` or `opt_start_time`).
    public var start: OrderedConsumer.Start
    /// The last stream sequence to read: `--to-seq`, else the stream's last sequence when the replay started.
    public var stopAt: UInt64
    /// The server's subject filters (empty: every subject).
    public var filterSubjects: [String]
    /// Whether the server's filters already select the aggregate (the client still checks, cheaply, by subject).
    public var aggregateFilteredByServer: Bool

    /// - Parameters:
    ///   - aggregateInSubjects: every message of the stream has a subject shape that carries an aggregate id
    ///     (then the aggregate's subject filters select exactly its messages).
    public static func make(
        stream: String,
        selection: ReplaySelection,
        state: StreamState,
        aggregateInSubjects: Bool
    ) throws(ReplayError) -> ReplayPlan {
        try selection.validate()
        guard state.messages > 0 else { throw .emptyStream(stream) }
        if let from = selection.fromSequence, from > state.lastSeq {
            throw .emptyRange(stream, "from sequence \(from): its last sequence is \(state.lastSeq)")
        }
        if let to = selection.toSequence, to < state.firstSeq {
            throw .emptyRange(stream, "up to sequence \(to): its first sequence is \(state.firstSeq)")
        }
        if let since = selection.since, let last = state.lastTs.flatMap(RFC3339.seconds), since > last {
            throw .emptyRange(stream, "since \(RFC3339.format(seconds: since)): its last message is from \(state.lastTs ?? "")")
        }
        if let until = selection.until, let first = state.firstTs.flatMap(RFC3339.seconds), until < first {
            throw .emptyRange(stream, "until \(RFC3339.format(seconds: until)): its first message is from \(state.firstTs ?? "")")
        }
        var start = OrderedConsumer.Start.all
        if let from = selection.fromSequence {
            start = .sequence(from)
        } else if let since = selection.since {
            start = .time(RFC3339.format(seconds: since))
        }
        var filters = selection.subjects
        var byServer = false
        if filters.isEmpty, aggregateInSubjects, let id = selection.aggregate, let aggregateFilters = AggregateID.subjectFilters(for: id) {
            filters = aggregateFilters
            byServer = true
        }
        return ReplayPlan(
            start: start,
            stopAt: min(selection.toSequence ?? state.lastSeq, state.lastSeq),
            filterSubjects: filters,
            aggregateFilteredByServer: byServer
        )
    }
}
