/// One message of the simulated CIM workload: what to publish, and what the simulator meant by it.
public struct SimulatedMessage: Sendable, Equatable {
    /// What the simulator meant the message to be; the monitor must find the same from the message alone.
    public enum Kind: String, Sendable, CaseIterable {
        /// An ordinary domain event.
        case event
        /// A failure event (an event type naming a failure, usually with an error kind).
        case failure
        /// A GPU event on `cim.gpu.<node>.<event>` in the agent's format: a node's `sampled` reading or a change
        /// (throttling, a GPU lost or found); Xid and ECC errors are `failure`s.
        case gpuEvent
        /// A payload that breaks the schema: empty, invalid UTF-8 or JSON, not an object, bad timestamp.
        case malformed
        /// A producer retry: a copy of an earlier event with the same event id.
        case duplicate
    }

    /// One header field.
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var subject: String
    /// Header fields in order; empty when the producer sends none (many CIM producers do not).
    public var headers: [Header]
    public var payload: [UInt8]
    public var kind: Kind
    /// Set on the workflow events that start, complete or fail a workflow (summaries count them).
    public var workflowMilestone: WorkflowMilestone?

    /// Where a workflow is when this message is published.
    public enum WorkflowMilestone: String, Sendable {
        case started, completed, failed
    }

    public init(subject: String, headers: [Header] = [], payload: [UInt8], kind: Kind, workflowMilestone: WorkflowMilestone? = nil) {
        self.subject = subject
        self.headers = headers
        self.payload = payload
        self.kind = kind
        self.workflowMilestone = workflowMilestone
    }

    /// The headers as name/value pairs (for `EventMapper.map(subject:headers:payload:)` and `NATSHeaders`).
    public var headerPairs: [(String, String)] { headers.map { ($0.name, $0.value) } }
}
