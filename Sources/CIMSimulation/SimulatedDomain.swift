/// One CIM domain in the simulated workload: its ordinary events, its failures, and the attributes
/// its payloads carry. `catalog` is the workload's world; workflows and GPU samples are generated apart.
struct SimulatedDomain: Sendable {
    var name: String
    /// Relative share of the domain traffic.
    var weight: Double
    var events: [SimulatedEventSpec]
    var failures: [SimulatedEventSpec]
    /// Payload attributes (name, possible values); one or two are added to each event.
    var attributes: [(String, [String])]

    /// The domains, from the CIM repositories (`research/cim-conventions.md` §1, §4).
    static let catalog: [SimulatedDomain] = [
        SimulatedDomain(
            name: "graph",
            weight: 12,
            events: [
                .init("structure", "node_added", .cimAggregate, .standard, weight: 3),
                .init("structure", "edge_added", .cimAggregate, .standard, weight: 3),
                .init("structure", "node_removed", .cimAggregate, .standard),
                .init("structure", "edge_removed", .cimAggregate, .standard),
                .init("structure", "node_moved", .cimAggregate, .standard),
                .init("layout", "layout_computed", .cimAggregate, .standard, weight: 0.5),
            ],
            failures: [
                .init("structure", "validation_failed", .cimAggregate, .standard, errors: ["CycleDetected", "DanglingEdge", "InvalidNodeType"])
            ],
            attributes: [("label", ["Concept", "Entity", "Process", "Policy"]), ("graph", ["workflow", "concept", "ipld", "context"])]
        ),
        SimulatedDomain(
            name: "person",
            weight: 8,
            events: [
                .init("person", "person_registered", .eventStore, .stored, weight: 2),
                .init("person", "person_name_changed", .eventStore, .stored),
                .init("person", "email_address_changed", .eventStore, .stored),
                .init("person", "person_archived", .eventStore, .stored, weight: 0.3),
            ],
            failures: [.init("person", "registration_failed", .cimAggregate, .head, errors: ["Validation", "DuplicateEmail"])],
            attributes: [("source", ["ui", "api", "import"]), ("locale", ["en-US", "de-DE", "fr-FR"])]
        ),
        SimulatedDomain(
            name: "organization",
            weight: 6,
            events: [
                .init("organization", "organization_created", .cimAggregate, .head, weight: 0.5),
                .init("organization", "member_added", .cimAggregate, .head, weight: 2),
                .init("organization", "member_removed", .cimAggregate, .head, weight: 0.5),
                .init("unit", "unit_renamed", .cimAggregate, .head, weight: 0.5),
            ],
            failures: [.init("organization", "member_add_rejected", .cimAggregate, .head, errors: ["PermissionDenied", "Validation"])],
            attributes: [("role", ["member", "admin", "owner"]), ("unit", ["engineering", "operations", "research"])]
        ),
        SimulatedDomain(
            name: "location",
            weight: 5,
            events: [
                .init("location", "defined", .domainAggregateID, .unixMillis, weight: 2),
                .init("location", "updated", .domainAggregateID, .unixMillis),
                .init("location", "geocoded", .domainAggregateID, .unixMillis),
            ],
            failures: [
                .init(
                    "location",
                    "geocoding_failed",
                    .domainAggregateID,
                    .unixMillis,
                    errors: ["AddressNotFound", "ProviderUnavailable"],
                    style: .code
                )
            ],
            attributes: [("kind", ["physical", "virtual", "logical"]), ("country", ["US", "DE", "JP", "BR"])]
        ),
        SimulatedDomain(
            name: "document",
            weight: 6,
            events: [
                .init("document", "uploaded", .cimAggregate, .head, weight: 2, typeName: "DocumentUploaded"),
                .init("document", "version_created", .cimAggregate, .head, typeName: "DocumentVersionCreated"),
                .init("document", "classified", .cimAggregate, .head, typeName: "DocumentClassified"),
                .init("document", "archived", .cimAggregate, .head, weight: 0.5, typeName: "DocumentArchived"),
            ],
            failures: [
                .init("document", "ingestion_failed", .cimAggregate, .head, errors: ["UnsupportedFormat", "ChecksumMismatch", "TooLarge"])
            ],
            attributes: [("mime_type", ["application/pdf", "text/markdown", "image/png"]), ("bucket", ["cim-documents", "cim-media"])]
        ),
        SimulatedDomain(
            name: "policy",
            weight: 4,
            events: [
                .init("policy", "evaluated", .cimAggregate, .headerAliases, weight: 3),
                .init("policy", "approved", .cimAggregate, .headerAliases),
                .init("policy", "enacted", .cimAggregate, .headerAliases, weight: 0.5),
            ],
            failures: [
                .init("policy", "evaluation_failed", .cimAggregate, .headerAliases, errors: ["PolicyViolation", "MissingAttribute"], style: .header)
            ],
            attributes: [("approved_by", ["ops", "security", "legal"]), ("scope", ["cluster", "leaf", "container"])]
        ),
        SimulatedDomain(
            name: "agent",
            weight: 9,
            events: [
                .init("agent", "deployed", .domainAggregateID, .agent, weight: 0.2, typeName: "AgentDeployed"),
                .init("agent", "activated", .domainAggregateID, .agent, weight: 0.2, typeName: "AgentActivated"),
                .init("agent", "model_configured", .domainAggregateID, .agent, weight: 0.2),
                .init("agent", "message_sent", .domainAggregateID, .agent, weight: 3),
                .init("agent", "response_completed", .domainAggregateID, .agent, weight: 3),
            ],
            failures: [
                .init(
                    "agent",
                    "response_failed",
                    .domainAggregateID,
                    .agent,
                    errors: ["RateLimited", "Timeout", "ProviderUnavailable", "ContextLengthExceeded"],
                    style: .typeField
                )
            ],
            attributes: [("model", ["llama3.1:70b", "claude-sonnet", "gpt-4o", "qwen2.5-coder"]), ("finish_reason", ["stop", "length"])]
        ),
        SimulatedDomain(
            name: "nix",
            weight: 5,
            events: [
                .init("flake", "evaluated", .cimAggregate, .eventsModule, weight: 2, typeName: "FlakeEvaluated"),
                .init("flake", "built", .cimAggregate, .eventsModule, weight: 2, typeName: "FlakeBuilt"),
                .init("flake", "deployed", .cimAggregate, .eventsModule, typeName: "FlakeDeployed"),
                .init("store", "closure_copied", .cimAggregate, .eventsModule),
            ],
            failures: [
                .init("flake", "build_failed", .cimAggregate, .eventsModule, errors: ["EvaluationError", "HashMismatch", "BuilderUnavailable"])
            ],
            attributes: [("system", ["x86_64-linux", "aarch64-linux", "aarch64-darwin"]), ("host", ["leaf-1", "leaf-2", "cluster-a"])]
        ),
        SimulatedDomain(
            name: "git",
            weight: 5,
            events: [
                .init("repository", "commit_pushed", .domainAggregate, .plain, weight: 3),
                .init("repository", "branch_created", .domainAggregate, .plain),
                .init("repository", "tag_created", .domainAggregate, .plain, weight: 0.5),
                .init("repository", "pull_request_merged", .domainAggregate, .plain),
            ],
            failures: [.init("repository", "merge_failed", .domainAggregate, .plain, errors: ["Conflict", "HookRejected"])],
            attributes: [("repository", ["cim-domain", "cim-subject", "alchemist", "cim-ipld"]), ("branch", ["main", "develop", "feature"])]
        ),
        SimulatedDomain(
            name: "dialog",
            weight: 6,
            events: [
                .init("conversation", "turn_started", .cimEvent, .conversation, weight: 2),
                .init("conversation", "turn_completed", .cimEvent, .conversation, weight: 2),
                .init("conversation", "message_received", .cimEvent, .conversation, weight: 2),
                .init("conversation", "context_switched", .cimEvent, .conversation, weight: 0.5),
            ],
            failures: [
                .init("conversation", "intent_recognition_failed", .cimEvent, .conversation, errors: ["LowConfidence", "ModelUnavailable"])
            ],
            attributes: [("channel", ["ui", "cli", "matrix"]), ("intent", ["query", "command", "smalltalk"])]
        ),
        SimulatedDomain(
            name: "identity",
            weight: 5,
            events: [
                .init("user", "authenticated", .versioned, .unixSeconds, weight: 3),
                .init("user", "registered", .versioned, .unixSeconds, weight: 0.5),
                .init("session", "started", .versioned, .unixSeconds),
                .init("session", "expired", .versioned, .unixSeconds),
            ],
            failures: [
                .init("user", "authentication_failed", .versioned, .unixSeconds, errors: ["InvalidCredentials", "AccountLocked"], style: .typeField)
            ],
            attributes: [("method", ["password", "webauthn", "oidc"]), ("realm", ["cim", "leaf", "guest"])]
        ),
        SimulatedDomain(
            name: "gpu",
            weight: 3,
            events: [
                .init("allocation", "allocated", .cimAggregate, .standard, typeName: "GPUAllocated"),
                .init("allocation", "released", .cimAggregate, .standard, typeName: "GPUReleased"),
            ],
            failures: [
                .init(
                    "agent",
                    "AgentGPUAllocationFailed",
                    .cimAggregate,
                    .standard,
                    typeName: "AgentGPUAllocationFailed",
                    errors: ["OutOfMemory", "NoDeviceAvailable"]
                )
            ],
            attributes: [("node", ["gpu-node-1", "gpu-node-2", "dgx-01"]), ("requested_gpus", ["1", "2", "4"])]
        ),
        SimulatedDomain(
            name: "infrastructure",
            weight: 3,
            events: [
                .init("compute", "registered", .contextID, .plain, weight: 0.5),
                .init("compute", "health_checked", .contextID, .plain, weight: 3),
                .init("network", "link_established", .contextID, .plain, weight: 0.5),
            ],
            failures: [.init("compute", "provisioning_failed", .contextID, .plain, errors: ["QuotaExceeded", "ImageNotFound"])],
            attributes: [("hostname", ["leaf-1", "leaf-2", "edge-3"]), ("region", ["home-lab", "colo", "cloud"])]
        ),
        SimulatedDomain(
            name: "orchestration",
            weight: 3,
            events: [
                .init("workflow", "scheduled", .domainAggregate, .systemTime),
                .init("workflow", "completed", .domainAggregate, .systemTime),
                .init("task", "dispatched", .domainAggregate, .systemTime, weight: 2),
            ],
            failures: [.init("task", "dispatch_failed", .domainAggregate, .systemTime, errors: ["NoWorkerAvailable", "Timeout"], style: .code)],
            attributes: [("queue", ["default", "gpu", "batch"]), ("priority", ["low", "normal", "high"])]
        ),
        SimulatedDomain(
            name: "ui",
            weight: 3,
            events: [
                .init("agent", "question", .cimContext, .uiBridge, typeName: "AgentQuestionEvent"),
                .init("agent", "response", .cimContext, .uiBridge, typeName: "AgentResponseEvent"),
            ],
            failures: [.init("agent", "error", .cimContext, .uiBridge, typeName: "AgentErrorEvent", errors: ["unknown"], style: .textOnly)],
            attributes: [("panel", ["dashboard", "graph-editor", "chat"]), ("theme", ["dark", "light"])]
        ),
        SimulatedDomain(
            name: "conceptual",
            weight: 4,
            events: [
                .init("space", "concept_added", .cimAggregate, .standard, weight: 2),
                .init("space", "relation_added", .cimAggregate, .standard, weight: 2),
                .init("space", "region_split", .cimAggregate, .standard, weight: 0.3),
            ],
            failures: [.init("space", "embedding_failed", .cimAggregate, .standard, errors: ["DimensionMismatch", "ModelUnavailable"])],
            attributes: [("quality", ["color", "shape", "taste", "sound"]), ("dimensions", ["3", "8", "16"])]
        ),
    ]
}
