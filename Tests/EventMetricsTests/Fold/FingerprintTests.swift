import CIMEvents
import CIMSimulation
import Testing

@testable import EventMetrics

@Suite struct FingerprintTests {
    @Test func fingerprintsAreStableAcrossProcessesAndPlatforms() {
        // Snapshots hold these values: changing the function needs a new snapshot version. The expected values
        // come from a separate transcription of the reference MurmurHash64A (seed 0).
        #expect(DuplicateWindow.fingerprint("") == 1)
        #expect(MurmurHash64A.hash(Array("".utf8)) == 0)
        #expect(DuplicateWindow.fingerprint("a") == 0x0717_17D2_D36B_6B11)
        #expect(DuplicateWindow.fingerprint("0190f3c2-7b1e-7d4a-9c3e-5f2a8b6d4e10") == 0xB7BC_2AEE_4A97_F9BE)
    }

    @Test func fingerprintsDifferForEveryLengthAndTail() {
        var seen = Set<UInt64>()
        for length in 0..<64 {
            for last in ["a", "b"] {
                #expect(seen.insert(DuplicateWindow.fingerprint(String(repeating: "x", count: length) + last)).inserted)
            }
        }
    }

    @Test func fingerprintSetBehavesLikeASet() {
        var generator = SplitMix64(seed: 9)
        var set = FingerprintSet()
        var model = Set<UInt64>()
        for _ in 0..<200_000 {
            // A small universe makes collisions, probe runs and wrap-around frequent.
            let value = UInt64.random(in: 1...5000, using: &generator) &* 0x1_0000_0001
            if Bool.random(using: &generator) {
                #expect(set.insert(value) == model.insert(value).inserted)
            } else {
                set.remove(value)
                model.remove(value)
            }
            if model.count % 997 == 0 { #expect(set.count == model.count) }
        }
        #expect(set.count == model.count)
        for value in model { #expect(set.contains(value)) }
    }
}
