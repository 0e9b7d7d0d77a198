/// The value of one series.
public enum MetricValue: Sendable, Hashable {
    /// An exact integer count (counters, integral gauges), written without a decimal point.
    case count(UInt64)
    /// A floating-point value; written in the shortest form that reads back to the same `Double`,
    /// with `NaN`, `+Inf` and `-Inf` for the special values.
    case number(Double)
    /// The state of a histogram; only in a histogram family.
    case histogram(HistogramValue)
}
