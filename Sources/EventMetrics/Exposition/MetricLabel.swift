/// One label of a series: a name (`[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`) and any value.
///
/// Values are arbitrary Unicode text; the encoders escape `\`, `"` and line feeds.
public struct MetricLabel: Sendable, Hashable {
    /// The label name.
    public var name: String
    /// The label value, any text.
    public var value: String

    /// A label `name="value"`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
