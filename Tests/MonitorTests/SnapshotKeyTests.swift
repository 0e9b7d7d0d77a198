import CIMSimulation
import Monitor
import Testing

/// Issue 10: a stream whose name is not a valid KV key token (`Q{X}`, `Q"X`, `Qé`) was never folded: its snapshot
/// key `<instance>.<stream>` was refused. Keys now encode such names reversibly, and plain names keep their keys.
@Suite struct SnapshotKeyTests {
    /// What NATS accepts as a KV key: `[-/_=.a-zA-Z0-9]`, no empty token, no leading or trailing dot.
    static func isValidKVKey(_ key: String) -> Bool {
        let allowed = Set("-/_=.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        return !key.isEmpty && key.utf8.allSatisfy(allowed.contains) && !key.hasPrefix(".") && !key.hasSuffix(".")
            && !key.contains("..")
    }

    @Test(arguments: ["CIM_EVENTS", "orders-v2", "a/b", "x=y", "=abc", "Z", "0"])
    func plainNamesKeepTheirExistingKeys(_ stream: String) {
        #expect(SnapshotKey.key(instance: "prod", stream: stream) == "prod.\(stream)")
        #expect(SnapshotKey.names("prod.\(stream)")! == ("prod", stream))
    }

    @Test(arguments: ["Q{X}", "Q\"X", "Qé", "=", "a b", "日本", "😀", "\u{0}", "Q\u{10FFFF}"])
    func otherNamesAreEncodedReversiblyIntoValidKeys(_ stream: String) throws {
        let key = SnapshotKey.key(instance: "prod", stream: stream)
        #expect(Self.isValidKVKey(key), "\(key)")
        #expect(key.hasPrefix("prod.=."))
        let names = try #require(SnapshotKey.names(key))
        #expect(names == ("prod", stream))
    }

    @Test func qéIsEncodedAsBase64URLOfItsUTF8() {
        #expect(SnapshotKey.key(instance: "i", stream: "Qé") == "i.=.UcOp")
        #expect(SnapshotKey.key(instance: "i", stream: "Q{X}") == "i.=.UXtYfQ")
    }

    @Test func everyByteRoundTripsInTheStreamAndTheInstanceName() throws {
        for scalar in (1...0x7F).compactMap(Unicode.Scalar.init) + ["é", "\u{FFFF}", "\u{10FFFF}"] {
            for name in ["\(scalar)", "Q\(scalar)X", "\(scalar)\(scalar)\(scalar)"] {
                let key = SnapshotKey.key(instance: name, stream: name)
                #expect(Self.isValidKVKey(key), "\(name.debugDescription): \(key)")
                let names = try #require(SnapshotKey.names(key), "\(name.debugDescription): \(key)")
                #expect(names == (name, name), "\(name.debugDescription): \(key)")
            }
        }
    }

    @Test func randomNamesRoundTripAndNeverShareAKey() throws {
        var random = SplitMix64(seed: 10)
        var seen: [String: String] = [:]
        for _ in 0..<2000 {
            let length = Int(random.next() % 6) + 1
            let scalars = (0..<length).map { _ -> Character in
                let pick = random.next()
                let value = pick % 4 == 0 ? UInt32(pick >> 8 % 0x800) + 0x80 : UInt32(pick >> 8 % 0x5E) + 0x21
                return Character(Unicode.Scalar(value) ?? "x")
            }
            let name = String(scalars)
            let key = SnapshotKey.key(instance: "i", stream: name)
            #expect(Self.isValidKVKey(key), "\(name.debugDescription): \(key)")
            #expect(try #require(SnapshotKey.names(key)) == ("i", name))
            if let other = seen[key] { #expect(other == name, "\(other.debugDescription) and \(name.debugDescription) share \(key)") }
            seen[key] = name
        }
    }

    @Test(arguments: ["", "a", "a.b.c", "a.=", "a.=.", "a.=.!!", "a.=.UcO", "a.=.UcM", "a.{", "=.UcOp", ".a", "a.", "a..b"])
    func textThatNoKeyIsMadeOfHasNoNames(_ key: String) {
        #expect(SnapshotKey.names(key) == nil, "\(key)")
    }
}
