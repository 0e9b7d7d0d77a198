/// One running workflow of the simulated workload, published as cim-domain-workflow's NATS publisher
/// does: `events.workflow.<workflow_id>.<eventname>` with `X-Message-ID`, `X-Correlation-ID`,
/// `X-Causation-ID`, `X-Event-Type`, `X-Workflow-ID`, `X-Sequence`, `X-Timestamp` and `Nats-Msg-Id`.
struct SimulatedWorkflow: Sendable {
    enum Phase: Sendable, Equatable {
        case created
        /// Between steps; the next step is `nextStep`.
        case ready
        case awaitingApproval
        case approved
        case stepRunning
        /// The step failed; the workflow fails next.
        case failing(errorKind: String)
        case finished
    }

    /// Workflow definitions and their steps.
    static let definitions: [(name: String, steps: [String])] = [
        ("order_fulfillment", ["validate_order", "reserve_stock", "charge_payment", "ship"]),
        ("document_review", ["extract_text", "classify", "request_review", "publish"]),
        ("agent_onboarding", ["provision_model", "configure_prompt", "smoke_test"]),
        ("nix_deploy", ["evaluate", "build_closure", "copy_closure", "activate", "health_check"]),
        ("incident_response", ["triage", "mitigate"]),
    ]

    static let errorKinds = ["StepTimeout", "ExternalServiceUnavailable", "ValidationError", "CompensationRequired"]

    let id: String
    let definition: String
    let steps: [String]
    let actor: String?
    let startedAt: Double
    var phase = Phase.created
    var nextStep = 0
    var sequence = 0
    /// The correlation id: the id of the `WorkflowStarted` message.
    var correlation = ""
    /// The id of the last message published, the causation of the next one.
    var lastMessage = ""

    init(id: String, definition: (name: String, steps: [String]), actor: String?, startedAt: Double) {
        self.id = id
        self.definition = definition.name
        self.steps = definition.steps
        self.actor = actor
        self.startedAt = startedAt
    }

    var stepID: String { "\(definition).\(steps[min(nextStep, steps.count - 1)])" }
}
