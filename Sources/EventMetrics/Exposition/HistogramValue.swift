/// The state of one histogram series.
///
/// ``bucketCounts`` are per bucket, not cumulative: `bucketCounts[i]` counts the observations `v` with
/// `upperBounds[i-1] < v <= upperBounds[i]`, and the last element (index `upperBounds.count`) those
/// above every bound. The encoders write the cumulative `_bucket{le=…}` lines, the `+Inf` bucket,
/// `_sum` and `_count`.
public struct HistogramValue: Sendable, Hashable {
    /// Finite, non-negative, strictly increasing bucket bounds, without `+Inf`.
    public var upperBounds: [Double]
    /// One count per bound plus one for `+Inf`.
    public var bucketCounts: [UInt64]
    /// The sum of the observations; non-negative and not NaN.
    public var sum: Double

    /// A histogram state; ``MetricFamily`` checks it when the family is created.
    public init(upperBounds: [Double], bucketCounts: [UInt64], sum: Double) {
        self.upperBounds = upperBounds
        self.bucketCounts = bucketCounts
        self.sum = sum
    }

    /// The number of observations.
    public var count: UInt64 { bucketCounts.reduce(0, &+) }

    /// Why this value cannot be exposed, or `nil` when it can.
    var problem: String? {
        guard bucketCounts.count == upperBounds.count + 1 else {
            return "a histogram needs one bucket count per bound plus one for +Inf"
        }
        var previous = -Double.infinity
        for bound in upperBounds {
            guard bound.isFinite, bound >= 0, bound > previous else {
                return "histogram bounds must be finite, non-negative and strictly increasing"
            }
            previous = bound
        }
        guard !sum.isNaN, sum >= 0 else { return "a histogram sum must be non-negative and not NaN" }
        return nil
    }
}
