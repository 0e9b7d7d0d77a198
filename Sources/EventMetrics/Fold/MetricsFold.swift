import CIMEvents

/// The metric state of an event stream: a pure fold of ``Event``s into counters, gauges and histograms.
///
/// No I/O and no clock: times come with the calls. Folding the same messages in the same order always
/// gives the same state, and ``snapshot()`` / ``init(snapshot:)`` save and restore it exactly, so a monitor
/// that resumes at the message after its snapshot's ``lastSequence`` counts every message exactly once.
///
/// Families (see ``families()``): `cim_events_total`, `cim_events_failed_total`,
/// `cim_event_schema_violations_total`, `cim_event_duplicates_total`, `cim_event_publish_delay_seconds`,
/// `cim_event_lag_seconds` (live only, fed by ``observeLag(_:domain:)``), `cim_event_last_timestamp_seconds`,
/// `cim_monitor_events_processed_total`, `cim_monitor_series` and `cim_monitor_series_overflow_total`.
/// Label values are bounded by ``limits`` (see ``CardinalityLimits``); series are created at first sight
/// and never expire.
public struct MetricsFold: Sendable {
    /// Bucket bounds in seconds used by both histograms unless others are given: 5 ms to 1 h.
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600]

    /// The duplicate window used unless another is given: the last 100,000 event ids.
    public static let defaultDuplicateWindow = 100_000

    /// The label value that absorbs values and series past the limits: `__overflow__`.
    public static let overflowLabelValue = LabelValueTable.overflowValue

    /// The limits on label values and series. Changing them affects only values and series not yet
    /// seen: admitted values and existing series stay.
    public var limits: CardinalityLimits

    /// Messages folded: `cim_monitor_events_processed_total`.
    public internal(set) var eventsProcessed: UInt64 = 0

    /// The stream sequence of the last folded message; 0 before the first (and again after
    /// ``continueWithNewStream(identity:reason:)``).
    public internal(set) var lastSequence: UInt64 = 0

    /// Which stream the sequences belong to: the stream's creation time as JetStream reports it (`created`),
    /// or empty when unknown (a new fold, or one restored from a version 1 snapshot). Saved in snapshots, so a
    /// monitor can tell that its stream was deleted and recreated while it was away.
    public var streamIdentity = ""

    /// How many times folding went on with a new stream (or started over), by reason; saved in snapshots, so
    /// `cim_monitor_stream_resets_total` survives restarts.
    public internal(set) var streamResets: [String: UInt64] = [:]

    var domains = LabelValueTable()
    var aggregateTypes = LabelValueTable()
    var eventTypes = LabelValueTable()
    var errorTypes = LabelValueTable()

    /// Series index by label values; holds every series.
    var eventsIndex: [EventsKey: Int32] = [:]
    /// The hot-path lookup in front of ``eventsIndex`` (derived state: not compared, not in snapshots).
    var labelCache = LabelIdentityCache()
    var eventsSeries: [EventsSeries] = []
    /// The index of the all-`__overflow__` series, or -1.
    var eventsOverflowSeries: Int32 = -1

    var failuresIndex: [FailuresKey: Int32] = [:]
    var failuresSeries: [FailuresSeries] = []
    var failuresOverflowSeries: Int32 = -1

    /// Per domain id.
    var domainStates: [DomainState] = []
    /// `violations[domain * 8 + bit]`, one per bit of ``SchemaViolations``.
    var violations: [UInt64] = []
    var publishDelay: HistogramTable
    var lag: HistogramTable

    var duplicateWindow: DuplicateWindow
    /// `cim_monitor_series_overflow_total`, indexed by ``EventFamily``.
    var overflows = [UInt64](repeating: 0, count: EventFamily.allCases.count)

    /// The `cim_gpu_*` state, folded from GPU events in addition to the ordinary counting (see ``foldGPU(payload:storedAt:)``).
    public internal(set) var gpu = GPUFold()

    /// Creates an empty fold.
    ///
    /// - Parameters:
    ///   - limits: the cardinality limits.
    ///   - publishDelayBuckets: bounds of `cim_event_publish_delay_seconds`, in seconds.
    ///   - lagBuckets: bounds of `cim_event_lag_seconds`, in seconds.
    ///   - duplicateWindow: how many recent event ids are remembered to count duplicates (at least 1).
    ///
    /// Bucket bounds are sorted and deduplicated; negative and non-finite bounds are dropped (`+Inf` is implicit).
    public init(
        limits: CardinalityLimits = .init(),
        publishDelayBuckets: [Double] = MetricsFold.defaultBuckets,
        lagBuckets: [Double] = MetricsFold.defaultBuckets,
        duplicateWindow: Int = MetricsFold.defaultDuplicateWindow
    ) {
        self.limits = limits
        self.publishDelay = HistogramTable(bounds: HistogramTable.sanitize(publishDelayBuckets))
        self.lag = HistogramTable(bounds: HistogramTable.sanitize(lagBuckets))
        self.duplicateWindow = DuplicateWindow(capacity: duplicateWindow)
    }

    /// The bucket bounds of `cim_event_publish_delay_seconds`.
    public var publishDelayBuckets: [Double] { publishDelay.bounds }

    /// The bucket bounds of `cim_event_lag_seconds`.
    public var lagBuckets: [Double] { lag.bounds }

    /// The capacity of the duplicate window.
    public var duplicateWindowCapacity: Int { duplicateWindow.capacity }

    /// Events folded into an `__overflow__` series so far, by family name (`cim_monitor_series_overflow_total`);
    /// the monitor watches it to report that a cardinality limit was reached.
    public var overflowCounts: [String: UInt64] {
        Dictionary(uniqueKeysWithValues: EventFamily.allCases.map { ($0.name, overflows[$0.rawValue]) })
    }

    /// Goes on with a new stream whose sequences start over (the stream was recreated, or is behind this fold):
    /// every count stays — counters never go back, the new stream's messages add to them — ``lastSequence``
    /// becomes 0 so folding resumes at the new stream's first message, and the reset is counted under `reason`.
    public mutating func continueWithNewStream(identity: String, reason: String) {
        lastSequence = 0
        streamIdentity = identity
        streamResets[reason, default: 0] &+= 1
    }

    /// Makes the per-domain storage match the domain table after a domain was added.
    mutating func growDomains() {
        let count = domains.count
        guard domainStates.count < count else { return }
        domainStates.append(contentsOf: repeatElement(DomainState(), count: count - domainStates.count))
        violations.append(contentsOf: repeatElement(0, count: count * Self.violationBits - violations.count))
        publishDelay.grow(to: count)
        lag.grow(to: count)
    }

    static let violationBits = 8
}

extension MetricsFold: Equatable {
    /// Equal when the state is the same: same values and series in the same order, same window, same counters.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.limits == rhs.limits && lhs.eventsProcessed == rhs.eventsProcessed && lhs.lastSequence == rhs.lastSequence
            && lhs.domains.values == rhs.domains.values && lhs.aggregateTypes.values == rhs.aggregateTypes.values
            && lhs.eventTypes.values == rhs.eventTypes.values && lhs.errorTypes.values == rhs.errorTypes.values
            && lhs.eventsSeries == rhs.eventsSeries && lhs.failuresSeries == rhs.failuresSeries
            && lhs.domainStates == rhs.domainStates && lhs.violations == rhs.violations
            && lhs.publishDelay == rhs.publishDelay && lhs.lag == rhs.lag && lhs.duplicateWindow == rhs.duplicateWindow
            && lhs.overflows == rhs.overflows && lhs.streamIdentity == rhs.streamIdentity && lhs.streamResets == rhs.streamResets
            && lhs.gpu == rhs.gpu
    }
}
