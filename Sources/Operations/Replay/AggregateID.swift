/// Where the aggregate id of a CIM message is, in the same shapes and fields the mapper reads
/// (`Tests/Fixtures/README.md`): a subject token of the shapes that carry one, else a header, else a payload field.
///
/// | shape | id |
/// |---|---|
/// | `events.workflow.{workflow_id}.{event}` | t2 |
/// | `events.{AggregateType}.{aggregate_id}` | t2 |
/// | `{domain}.events.{aggregate}.{aggregate_id}.{event}` | t3 |
///
/// Headers: `X-Aggregate-ID`, `CIM-Aggregate-Id`, `X-Workflow-ID`. Payload: `aggregate_id`,
/// `stored_event.aggregate_id`, `workflow_id`.
public enum AggregateID {
    /// The subject filters that select the shapes carrying an id (no two overlap, as JetStream requires).
    public static let shapeFilters = ["events.workflow.*.*", "events.*.*", "*.events.*.*.*"]

    public static let headerNames = ["x-aggregate-id", "cim-aggregate-id", "x-workflow-id"]

    /// The subject filters selecting `id` in those shapes; `nil` when `id` cannot be a subject token.
    public static func subjectFilters(for id: String) -> [String]? {
        guard isToken(id) else { return nil }
        return ["events.workflow.\(id).*", "events.*.\(id)", "*.events.*.\(id).*"]
    }

    /// The id carried by the subject's shape; `nil` when the shape carries none.
    public static func fromSubject(_ subject: String) -> Substring? {
        let t = subject.split(separator: ".", omittingEmptySubsequences: false)
        if t.count == 4, t[0] == "events", t[1] == "workflow" { return t[2] }
        if t.count == 3, t[0] == "events" { return t[2] }
        if t.count == 5, t[1] == "events", !(t[0] == "cim" && t[2] == "events") { return t[3] }
        return nil
    }

    /// Whether the subject's shape carries an id at all (what ``shapeFilters`` select, less the `cim.{domain}.events…`
    /// shape that the profile reads first).
    public static func subjectCarriesID(_ subject: String) -> Bool { fromSubject(subject) != nil }

    /// A non-empty token of a NATS subject: no `.`, `*`, `>` or whitespace.
    static func isToken(_ id: String) -> Bool {
        !id.isEmpty && !id.utf8.contains { $0 <= 32 || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: ">") || $0 == 127 }
    }
}
