/// Bounds on how many distinct label values, and how many series, the fold creates.
///
/// A label value past its limit is folded into the value `__overflow__`, and a series past
/// ``seriesPerFamily`` into the series whose labels are all `__overflow__`; both count in
/// `cim_monitor_series_overflow_total{family}`. Limits are global per label name: `domain` counts the
/// distinct domains across every family. The `__overflow__` value itself is not counted against a limit.
///
/// Series never expire, so these limits are what keeps memory bounded: the events family holds at most
/// ``seriesPerFamily`` series whatever the input, and each per-domain family at most ``domain`` + 1.
public struct CardinalityLimits: Sendable, Hashable {
    /// Distinct `domain` values.
    public var domain: Int
    /// Distinct `aggregate_type` values.
    public var aggregateType: Int
    /// Distinct `event_type` values.
    public var eventType: Int
    /// Distinct `error_type` values.
    public var errorType: Int
    /// Series in `cim_events_total` and in `cim_events_failed_total`, each; at least 1.
    public var seriesPerFamily: Int

    /// Creates limits; negative values count as 0 (every value overflows), and `seriesPerFamily` as at least 1.
    public init(domain: Int = 200, aggregateType: Int = 500, eventType: Int = 2000, errorType: Int = 200, seriesPerFamily: Int = 10_000) {
        self.domain = max(0, domain)
        self.aggregateType = max(0, aggregateType)
        self.eventType = max(0, eventType)
        self.errorType = max(0, errorType)
        self.seriesPerFamily = max(1, seriesPerFamily)
    }
}
