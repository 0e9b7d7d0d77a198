/// One histogram per domain id, stored flat in one array: per domain, one count per bucket (the last for
/// `+Inf`), then the number of observations, then the bit pattern of their sum.
struct HistogramTable: Sendable, Equatable {
    /// Finite, strictly increasing bounds.
    let bounds: [Double]
    private(set) var storage: [UInt64] = []

    init(bounds: [Double]) {
        self.bounds = bounds
    }

    var bucketCount: Int { bounds.count + 1 }

    private var stride: Int { bounds.count + 3 }

    var domainCount: Int { storage.count / stride }

    /// Grows the table to hold `domains` histograms.
    mutating func grow(to domains: Int) {
        guard domains > domainCount else { return }
        storage.append(contentsOf: repeatElement(0, count: (domains - domainCount) * stride))
    }

    /// Counts `value` (non-negative, not NaN) for `domain`.
    mutating func observe(_ value: Double, domain: Int) {
        let bucket = bucketIndex(value)
        let base = domain * stride
        let totalIndex = base + bounds.count + 1
        storage.withUnsafeMutableBufferPointer { storage in
            storage[base + bucket] &+= 1
            storage[totalIndex] &+= 1
            storage[totalIndex + 1] = (Double(bitPattern: storage[totalIndex + 1]) + value).bitPattern
        }
    }

    /// Restores one domain's state from a snapshot.
    mutating func restore(domain: Int, buckets: [UInt64], sum: Double) {
        let base = domain * stride
        storage.replaceSubrange(base..<base + bucketCount, with: buckets)
        storage[base + bucketCount] = buckets.reduce(0, &+)
        storage[base + bucketCount + 1] = sum.bitPattern
    }

    /// The histogram of `domain`, or `nil` when it has no observations.
    func value(domain: Int) -> HistogramValue? {
        let base = domain * stride
        guard storage[base + bucketCount] > 0 else { return nil }
        return HistogramValue(
            upperBounds: bounds,
            bucketCounts: Array(storage[base..<base + bucketCount]),
            sum: Double(bitPattern: storage[base + bucketCount + 1])
        )
    }

    /// The first bucket whose bound is at least `value` (binary search); `bounds.count` for `+Inf`.
    private func bucketIndex(_ value: Double) -> Int {
        bounds.withUnsafeBufferPointer { bounds in
            var low = 0
            var high = bounds.count
            while low < high {
                let middle = (low + high) >> 1
                if bounds[middle] < value { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// Sorted, deduplicated, finite non-negative bounds from a configured list.
    static func sanitize(_ bounds: [Double]) -> [Double] {
        var result: [Double] = []
        for bound in bounds.filter({ $0.isFinite && $0 >= 0 }).sorted() where result.last != bound {
            result.append(bound)
        }
        return result
    }
}
