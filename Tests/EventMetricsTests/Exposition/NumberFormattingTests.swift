import CIMSimulation
import Testing

@testable import EventMetrics

@Suite struct NumberFormattingTests {
    static func format(_ value: Double) -> String {
        var bytes: [UInt8] = []
        bytes.append(double: value)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func format(_ value: UInt64) -> String {
        var bytes: [UInt8] = []
        bytes.append(decimal: value)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: [
        (Double.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (0, "0.0"), (-0.0, "-0.0"), (1, "1.0"), (0.1, "0.1"),
        (2.5, "2.5"), (3600, "3600.0"), (1e-7, "1e-07"), (1e22, "1e+22"), (1_732_838_400.25, "1732838400.25"),
        (.leastNonzeroMagnitude, "5e-324"), (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
    ])
    func formatsDoubles(value: Double, text: String) {
        #expect(Self.format(value) == text)
    }

    @Test(arguments: [(UInt64(0), "0"), (7, "7"), (10, "10"), (1_000_000, "1000000"), (UInt64.max, "18446744073709551615")])
    func formatsCountsWithoutExponent(value: UInt64, text: String) {
        #expect(Self.format(value) == text)
    }

    @Test func formatsEveryDoubleSoItReadsBackExactly() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<100_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            let text = Self.format(value)
            #expect(Double(text)?.bitPattern == value.bitPattern, "\(text)")
        }
        for _ in 0..<10_000 {
            let value = Double.random(in: -1e6...1e6, using: &generator)
            #expect(Double(Self.format(value)) == value)
        }
    }

    @Test func formatsEveryCountLikeDescription() {
        var generator = SplitMix64(seed: 43)
        for _ in 0..<10_000 {
            let value = generator.next() >> UInt64.random(in: 0..<64, using: &generator)
            #expect(Self.format(value) == value.description)
        }
    }
}
