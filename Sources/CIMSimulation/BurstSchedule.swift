/// How the simulated traffic rate varies: steady stretches, bursts of a few times the rate, and lulls.
///
/// A pure function of the seed and the elapsed time: `factor(at:)` multiplies the nominal rate. Its own
/// generator is derived from the seed, so the schedule does not disturb the message sequence.
public struct BurstSchedule: Sendable {
    private var random: SplitMix64
    private var phaseEnd = 0.0
    private var phaseFactor = 1.0

    /// A schedule determined by `seed`.
    public init(seed: UInt64) {
        self.random = SplitMix64(seed: seed ^ 0xB0B5_7A11_C1A0_0001)
    }

    /// The rate multiplier `elapsed` seconds after the start (call with non-decreasing times).
    public mutating func factor(at elapsed: Double) -> Double {
        while elapsed >= phaseEnd {
            let roll = random.unit()
            if roll < 0.2 {
                phaseFactor = random.double(in: 2.5...4)  // a burst: a deploy, a batch import
                phaseEnd += random.double(in: 1...3)
            } else if roll < 0.35 {
                phaseFactor = random.double(in: 0.2...0.5)  // a lull
                phaseEnd += random.double(in: 2...5)
            } else {
                phaseFactor = random.double(in: 0.7...1.1)
                phaseEnd += random.double(in: 4...10)
            }
        }
        return phaseFactor
    }
}
