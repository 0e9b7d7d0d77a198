/// What a simulation has published so far, by the simulator's own account (the ground truth that the
/// monitor's counters can be compared with).
public struct SimulationTally: Sendable, Equatable {
    public var published = 0
    public var bytes = 0
    public var kinds: [SimulatedMessage.Kind: Int] = [:]
    public var workflowsStarted = 0
    public var workflowsCompleted = 0
    public var workflowsFailed = 0

    public init() {}

    /// Counts one published message.
    public mutating func record(_ message: SimulatedMessage) {
        published += 1
        bytes += message.payload.count
        kinds[message.kind, default: 0] += 1
        switch message.workflowMilestone {
        case .started: workflowsStarted += 1
        case .completed: workflowsCompleted += 1
        case .failed: workflowsFailed += 1
        case nil: break
        }
    }

    /// Failure events published.
    public var failures: Int { kinds[.failure, default: 0] }

    /// Failure events as a share of everything published.
    public var failureRatio: Double { published == 0 ? 0 : Double(failures) / Double(published) }
}
