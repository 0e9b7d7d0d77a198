import ArgumentParser

/// A duration flag: `2s`, `500ms`, `1m`, `1h`, or plain seconds.
public struct DurationArgument: ExpressibleByArgument, Sendable {
    public let seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    public init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("us", 0.000_001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where argument.hasSuffix(suffix) {
            guard let value = Double(argument.dropLast(suffix.count)), value >= 0 else { return nil }
            self.seconds = value * factor
            return
        }
        guard let value = Double(argument), value >= 0 else { return nil }
        self.seconds = value
    }

    public var defaultValueDescription: String { "\(seconds)s" }
}
