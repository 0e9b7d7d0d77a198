extension SimulatedWorkload {
    /// Workflows running at once (their events interleave).
    static let maxConcurrentWorkflows = 8
    /// The probability that a running step fails (and with it the workflow).
    static let stepFailureRate = 0.045

    /// The next event of a running workflow, or the start of a new one.
    mutating func nextWorkflowEvent(at time: SimulatedTimestamp) -> SimulatedMessage {
        if workflows.isEmpty || (workflows.count < Self.maxConcurrentWorkflows && random.chance(0.15)) {
            let definition = random.pick(SimulatedWorkflow.definitions)
            let actor = random.chance(0.5) ? random.pick(["scheduler", "ops@cim", "agent:planner", "ui"]) : nil
            workflows.append(
                SimulatedWorkflow(id: SimulatedID.uuidV4(random: &random), definition: definition, actor: actor, startedAt: time.seconds)
            )
        }
        let slot = random.below(workflows.count)
        var workflow = workflows[slot]
        let message = advance(&workflow, at: time)
        if workflow.phase == .finished {
            workflows.remove(at: slot)
        } else {
            workflows[slot] = workflow
        }
        return message
    }

    /// Moves a workflow one event forward and returns that event.
    mutating func advance(_ workflow: inout SimulatedWorkflow, at time: SimulatedTimestamp) -> SimulatedMessage {
        let stamp = SimulatedJSON.string(time.rfc3339(fractionDigits: 3))
        let duration = SimulatedJSON.double(max(0, time.seconds - workflow.startedAt), decimals: 3)
        let workflowID = SimulatedJSON.string(workflow.id)
        var errorKind: String?
        var milestone: SimulatedMessage.WorkflowMilestone?
        let type: String
        var fields: [SimulatedJSON.Member] = [.init("workflow_id", workflowID)]
        switch workflow.phase {
        case .created:
            type = "WorkflowStarted"
            milestone = .started
            fields += [
                .init("definition", .string(workflow.definition)),
                .init("context", ["variables": ["request_id": .string(SimulatedID.hex(8, random: &random))]]),
                .init("started_by", workflow.actor.map { .string($0) } ?? .null), .init("started_at", stamp),
            ]
            workflow.phase = .ready
        case .ready where workflow.nextStep == workflow.steps.count:
            type = "WorkflowCompleted"
            milestone = .completed
            fields += [.init("final_context", ["steps": .int(Int64(workflow.steps.count))]), .init("completed_at", stamp)]
            fields.append(.init("duration_seconds", duration))
            workflow.phase = .finished
        case .ready where random.chance(0.1):
            type = "StepApprovalRequested"
            fields += [.init("step_id", .string(workflow.stepID)), .init("requested_at", stamp)]
            workflow.phase = .awaitingApproval
        case .awaitingApproval:
            type = "StepApprovalGranted"
            fields += [.init("step_id", .string(workflow.stepID)), .init("approved_by", "ops"), .init("granted_at", stamp)]
            workflow.phase = .approved
        case .ready, .approved:
            type = "StepExecutionStarted"
            fields += [.init("step_id", .string(workflow.stepID)), .init("started_at", stamp)]
            workflow.phase = .stepRunning
        case .stepRunning where random.chance(Self.stepFailureRate):
            let kind = random.pick(SimulatedWorkflow.errorKinds)
            errorKind = kind
            type = "StepExecutionFailed"
            fields += [
                .init("step_id", .string(workflow.stepID)), .init("error", .string(random.pick(Self.errorMessages))),
                .init("error_details", ["kind": .string(kind)]), .init("failed_at", stamp), .init("duration_seconds", duration),
            ]
            workflow.phase = .failing(errorKind: kind)
        case .stepRunning:
            type = "StepExecutionCompleted"
            fields += [.init("step_id", .string(workflow.stepID)), .init("completed_at", stamp), .init("duration_seconds", duration)]
            workflow.nextStep += 1
            workflow.phase = .ready
        case .failing(let kind):
            errorKind = kind
            type = "WorkflowFailed"
            milestone = .failed
            fields += [
                .init("error", .string("step '\(workflow.steps[workflow.nextStep])' failed")),
                .init("failure_context", ["step_id": .string(workflow.stepID), "actor": .string(workflow.actor ?? "system")]),
                .init("failed_at", stamp), .init("duration_seconds", duration),
            ]
            workflow.phase = .finished
        case .finished:
            preconditionFailure("a finished workflow is removed before it is advanced again")
        }

        let messageID = newID(at: time)
        workflow.sequence += 1
        if workflow.sequence == 1 {
            workflow.correlation = messageID
            workflow.lastMessage = messageID
        }
        var headers: [SimulatedMessage.Header] = [
            .init("X-Message-ID", messageID), .init("X-Correlation-ID", workflow.correlation), .init("X-Causation-ID", workflow.lastMessage),
            .init("X-Event-Type", type), .init("X-Workflow-ID", workflow.id), .init("X-Sequence", String(workflow.sequence)),
            .init("X-Timestamp", time.unixString(decimals: 3)),
        ]
        if let actor = workflow.actor { headers.append(.init("X-Actor", actor)) }
        if let errorKind { headers.append(.init("X-Error-Type", errorKind)) }
        headers.append(.init("Nats-Msg-Id", messageID))
        workflow.lastMessage = messageID
        let payload = SimulatedJSON.object([.init(type, .object(fields))])
        return SimulatedMessage(
            subject: "events.workflow.\(workflow.id).\(type.lowercased())",
            headers: headers,
            payload: payload.bytes,
            kind: errorKind == nil ? .event : .failure,
            workflowMilestone: milestone
        )
    }
}
