/// Where replayed messages go.
public enum ReplayOutput: Sendable, Equatable {
    /// JSON Lines to a file descriptor (stdout, or a file the caller opened).
    case lines(descriptor: Int32)
    /// Republished to `<prefix>.<original subject>`, into `stream` when given (`Nats-Expected-Stream`).
    case republish(prefix: String, stream: String?)
    /// Nothing written: count what would be.
    case dryRun
}
