import CIMEvents
import EventMetrics
import Monitor
import Testing

@Suite struct SubjectOverlapTests {
    @Test(arguments: [
        ("cim.>", "cim.graph.events.x.y", true),
        ("cim.>", "events.>", false),
        ("cim.*.events.>", "cim.graph.events.node.added", true),
        ("cim.*", "cim.a.b", false),
        ("orders.*", "*.eu", true),
        ("a.b", "a.b", true),
        ("a.b", "a.c", false),
        (">", "anything.at.all", true),
    ])
    func overlaps(_ a: String, _ b: String, _ expected: Bool) {
        #expect(subjectsOverlap(a, b) == expected)
        #expect(subjectsOverlap(b, a) == expected)
    }
}
