/// The type of a metric family, as written on its `# TYPE` line.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    /// A monotonically increasing count; its name ends in `_total`.
    case counter
    /// A value that goes up and down.
    case gauge
    /// Observations counted into cumulative buckets, with their sum and count.
    case histogram
}
