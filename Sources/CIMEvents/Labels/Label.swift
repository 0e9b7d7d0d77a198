/// A normalised label value, with whether it names a failure (when used as an event type).
struct Label: Equatable, Sendable {
    var value: String
    var isFailure: Bool

    static let unknown = Label(value: "unknown", isFailure: false)
}
