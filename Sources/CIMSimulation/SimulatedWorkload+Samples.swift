import GPUTelemetry

extension SimulatedWorkload {
    /// The agent's interval the simulated nodes claim (the fold calls a GPU down after 3 of them without a sample).
    static let gpuInterval = 10.0

    /// A GPU event exactly as `cim-monitor gpu agent` publishes it (same encoder, subject and headers): mostly a
    /// node's `sampled` event, sometimes a fault on an NVIDIA GPU — an Xid, ECC errors, throttling starting or
    /// ending, a GPU lost or found again. Xid and ECC errors are failures to the monitor (their event types name an
    /// error; `error_type` `xid_<code>`, `ecc_<bit>`), so their kind is `.failure`.
    mutating func gpuEvent(at time: SimulatedTimestamp) -> SimulatedMessage {
        if gpus.isEmpty { gpus = SimulatedGPU.fleet(random: &random) }
        let occurredAt = GPUEventClock.timestamp(time.seconds)
        guard random.chance(0.1) else { return gpuSampled(at: time, occurredAt: occurredAt) }
        let candidates = gpus.indices.filter { gpus[$0].vendor == .nvidia }
        let slot = random.pick(candidates)
        let id = newID(at: time)
        var reading = gpus[slot].readings()[0]
        var event: GPUEvent
        func make(_ type: GPUEventType) -> GPUEvent {
            GPUEvent(eventID: id, eventType: type, occurredAt: occurredAt, node: gpus[slot].node, vendor: .nvidia, about: reading)
        }
        switch random.below(4) {
        case 0:
            event = make(.xidError)
            event.xid = random.pick([13, 31, 43, 48, 63, 79, 94])
            event.errorType = "xid_\(event.xid ?? 0)"
        case 1:
            let double = random.chance(0.1)
            let count = UInt64(random.int(in: 1...3))
            if double { gpus[slot].eccUncorrected += count } else { gpus[slot].eccCorrected += count }
            reading = gpus[slot].readings()[0]
            event = make(.eccError)
            event.bit = double ? "double" : "single"
            event.scope = "volatile"
            event.count = count
            event.errorType = "ecc_" + (event.bit ?? "")
        case 2:
            if let reason = gpus[slot].throttle {
                gpus[slot].throttle = nil
                event = make(.throttleCleared)
                event.reason = reason
            } else {
                let reason = random.pick([GPUThrottleReason.thermal, .powerCap, .hwSlowdown, .syncBoost])
                gpus[slot].throttle = reason
                event = make(.throttled)
                event.reason = reason
            }
        default:
            gpus[slot].lost.toggle()
            event = make(gpus[slot].lost ? .gpuLost : .gpuFound)
            if gpus[slot].lost { event.error = "gpu_is_lost" }
        }
        return message(event)
    }

    private mutating func gpuSampled(at time: SimulatedTimestamp, occurredAt: String) -> SimulatedMessage {
        let node = random.pick(SimulatedGPU.nodes)
        var readings: [GPUReading] = []
        for slot in gpus.indices where gpus[slot].node == node.node && !gpus[slot].lost {
            gpus[slot].drift(random: &random, seconds: Self.gpuInterval)
            readings += gpus[slot].readings()
        }
        var event = GPUEvent(eventID: newID(at: time), eventType: .sampled, occurredAt: occurredAt, node: node.node, vendor: node.vendor)
        event.intervalSeconds = Self.gpuInterval
        event.driver = node.vendor == .nvidia ? SimulatedGPU.nvidiaDriver : nil
        event.gpus = readings
        event.droppedEvents = 0
        return message(event)
    }

    private func message(_ event: GPUEvent) -> SimulatedMessage {
        SimulatedMessage(
            subject: event.subject,
            headers: [.init("Nats-Msg-Id", event.eventID), .init("X-Event-Type", event.eventType.rawValue)],
            payload: GPUEventCodec.encode(event),
            kind: event.errorType == nil ? .gpuEvent : .failure
        )
    }
}
