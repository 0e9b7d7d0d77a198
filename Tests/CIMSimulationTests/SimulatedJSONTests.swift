import Testing

@testable import CIMSimulation

@Suite struct SimulatedJSONTests {
    @Test func writesCompactJSONWithKeysInOrder() {
        let value: SimulatedJSON = [
            "z": "last first", "a": .array([1, true, .null, .double(2.5, decimals: 2)]), "m": .object([]),
        ]
        #expect(String(decoding: value.bytes, as: UTF8.self) == #"{"z":"last first","a":[1,true,null,2.5],"m":{}}"#)
    }

    @Test func escapesStringsAndKeys() {
        let value: SimulatedJSON = ["say \"hi\"": "a\\b\n\u{1}é"]
        #expect(String(decoding: value.bytes, as: UTF8.self) == #"{"say \"hi\"":"a\\b\n\u0001é"}"#)
    }

    @Test(
        "writes decimals without exponent or trailing zeros",
        arguments: [
            (12.5, 3, "12.5"), (3, 2, "3"), (-0.25, 2, "-0.25"), (-0.001, 2, "0"), (0.05, 1, "0.1"), (1e15, 2, "1000000000000000"),
            (.nan, 2, "0"), (1.005, 3, "1.005"),
        ] as [(Double, Int, String)]
    )
    func formatsNumbers(value: Double, decimals: Int, expected: String) {
        #expect(SimulatedJSON.format(value, decimals: decimals) == expected)
    }

    @Test func appendingAddsAMemberToObjectsOnly() {
        let object: SimulatedJSON = ["a": 1]
        #expect(object.appending("b", 2) == ["a": 1, "b": 2])
        #expect(SimulatedJSON.string("x").appending("b", 2) == "x")
    }
}
