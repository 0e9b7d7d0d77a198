/// One series of a family: its labels and its value.
public struct MetricSeries: Sendable, Hashable {
    /// Labels in the order they are written; label names are unique within a series.
    public var labels: [MetricLabel]
    /// The value, which must fit the family type.
    public var value: MetricValue

    /// A series with labels in the order given.
    public init(labels: [MetricLabel] = [], value: MetricValue) {
        self.labels = labels
        self.value = value
    }

    /// A series from `name: value` label pairs, in the order given.
    public init(_ labels: KeyValuePairs<String, String>, value: MetricValue) {
        self.labels = labels.map { MetricLabel($0.key, $0.value) }
        self.value = value
    }
}

extension MetricSeries {
    /// Orders series by their labels, comparing names then values as UTF-8 bytes: stable across runs and platforms.
    static func labelsPrecede(_ lhs: MetricSeries, _ rhs: MetricSeries) -> Bool {
        compareLabels(lhs.labels, rhs.labels) < 0
    }

    static func compareLabels(_ lhs: [MetricLabel], _ rhs: [MetricLabel]) -> Int {
        for (left, right) in zip(lhs, rhs) {
            let byName = compareBytes(left.name, right.name)
            if byName != 0 { return byName }
            let byValue = compareBytes(left.value, right.value)
            if byValue != 0 { return byValue }
        }
        return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }

    /// Three-way comparison of the UTF-8 bytes (not Unicode canonical equivalence: Prometheus compares bytes).
    static func compareBytes(_ lhs: String, _ rhs: String) -> Int {
        let contiguous = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                // The same storage (a label value shared by many series) is equal without a look at its bytes.
                if left.baseAddress == right.baseAddress, left.count == right.count { return 0 }
                for index in 0..<min(left.count, right.count) where left[index] != right[index] { return left[index] < right[index] ? -1 : 1 }
                return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
            }
        }
        if let contiguous, let result = contiguous { return result }
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let l?, let r?) where l != r: return l < r ? -1 : 1
            default: continue
            }
        }
    }
}
