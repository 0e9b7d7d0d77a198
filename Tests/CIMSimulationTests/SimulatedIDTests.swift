import Testing

@testable import CIMSimulation

@Suite struct SimulatedIDTests {
    static let hexDigits = Set("0123456789abcdef")

    static func isUUID(_ text: String, version: Character) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && text.allSatisfy { $0 == "-" || hexDigits.contains($0) }
            && groups[2].first == version && "89ab".contains(groups[3].first!)
    }

    @Test func uuidV4sAreWellFormedAndDistinct() {
        var random = SplitMix64(seed: 1)
        let ids = (0..<1000).map { _ in SimulatedID.uuidV4(random: &random) }
        #expect(ids.allSatisfy { Self.isUUID($0, version: "4") }, "\(ids.first { !Self.isUUID($0, version: "4") } ?? "")")
        #expect(Set(ids).count == ids.count)
    }

    @Test func uuidV7sEmbedTheirMilliseconds() {
        var random = SplitMix64(seed: 2)
        let milliseconds: UInt64 = 1_751_741_517_250
        let id = SimulatedID.uuidV7(milliseconds: milliseconds, random: &random)
        #expect(Self.isUUID(id, version: "7"), "\(id)")
        let prefix = id.filter { $0 != "-" }.prefix(12)
        #expect(UInt64(prefix, radix: 16) == milliseconds)
    }

    @Test func hexHasTheLengthAsked() {
        var random = SplitMix64(seed: 3)
        for count in [1, 8, 16, 17, 40] {
            let text = SimulatedID.hex(count, random: &random)
            #expect(text.count == count && text.allSatisfy { Self.hexDigits.contains($0) })
        }
    }
}
