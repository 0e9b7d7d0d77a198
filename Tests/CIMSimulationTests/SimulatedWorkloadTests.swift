import CIMEvents
import Foundation
import GPUTelemetry
import Testing

@testable import CIMSimulation

/// The simulated CIM workload: deterministic for a seed, and every message means to the monitor what
/// the simulator meant by it.
@Suite struct SimulatedWorkloadTests {
    static let start = 1_760_000_000.0

    /// `count` messages at a clock that advances 5 ms a message, with what the mapper makes of each.
    static func generate(seed: UInt64, count: Int) -> [(message: SimulatedMessage, event: Event)] {
        var workload = SimulatedWorkload(seed: seed)
        var mapper = EventMapper()
        return (0..<count).map { index in
            let message = workload.next(at: SimulatedTimestamp(seconds: start + Double(index) * 0.005))
            return (message, mapper.map(subject: message.subject, headers: message.headerPairs, payload: message.payload))
        }
    }

    static let sample = generate(seed: 7, count: 10_000)

    @Test func theSameSeedGivesTheSameMessages() {
        let first = Self.generate(seed: 42, count: 3000).map(\.message)
        let second = Self.generate(seed: 42, count: 3000).map(\.message)
        #expect(first == second)
        let other = Self.generate(seed: 43, count: 3000).map(\.message)
        #expect(first.map(\.subject) != other.map(\.subject))
    }

    @Test func onTheRealClockTheSeedStillFixesSubjectsAndLabels() {
        var first = SimulatedWorkload(seed: 9)
        var second = SimulatedWorkload(seed: 9)
        var mapper = EventMapper()
        for _ in 0..<2000 {
            let a = first.next()
            let b = second.next()
            #expect(a.subject == b.subject && a.kind == b.kind && a.headers.map(\.name) == b.headers.map(\.name))
            let labelsA = mapper.map(subject: a.subject, headers: a.headerPairs, payload: a.payload)
            let labelsB = mapper.map(subject: b.subject, headers: b.headerPairs, payload: b.payload)
            #expect(labelsA.domain == labelsB.domain && labelsA.eventType == labelsB.eventType && labelsA.errorType == labelsB.errorType)
        }
        #expect(first.produced == 2000)
    }

    @Test func everyMessageMapsToKnownLabelsAndTheIntendedMeaning() {
        for (message, event) in Self.sample {
            let context = Comment(rawValue: "\(message.subject) \(String(decoding: message.payload, as: UTF8.self))")
            #expect(event.domain != "unknown" && event.eventType != "unknown" && event.aggregateType != "unknown", context)
            #expect(event.failed == (message.kind == .failure), context)
            #expect(event.violations.isEmpty == (message.kind != .malformed), context)
            guard message.kind != .malformed else { continue }
            #expect(event.id != nil || event.domain == "agent", context)  // cim-domain-agent's envelope has no event id
            #expect(event.time.map { abs($0 - Self.start) < 60 } == true, context)
            if event.failed && event.domain != "ui" { #expect(event.errorType != "unknown", context) }
        }
    }

    @Test("the mapper finds no schema violation but in the intentionally bad payloads", arguments: [1, 2, 3, 1000] as [UInt64])
    func onlyMalformedPayloadsViolateTheSchema(seed: UInt64) {
        let messages = Self.generate(seed: seed, count: 3000)
        let violating = messages.filter { !$0.event.violations.isEmpty }
        #expect(violating.allSatisfy { $0.message.kind == .malformed }, "\(violating.map(\.message.subject))")
        #expect(violating.count == messages.filter { $0.message.kind == .malformed }.count)
    }

    @Test func everyPayloadButTheMalformedIsAJSONObject() throws {
        for (message, _) in Self.sample where message.kind != .malformed {
            let object = try JSONSerialization.jsonObject(with: Data(message.payload))
            #expect(object is [String: Any], "\(message.subject)")
        }
    }

    @Test func aboutThreePercentAreFailures() {
        let failures = Self.sample.filter(\.event.failed).count
        let ratio = Double(failures) / Double(Self.sample.count)
        #expect(ratio > 0.022 && ratio < 0.038, "failure ratio \(ratio)")
        let kinds = Set(Self.sample.compactMap(\.event.errorType))
        #expect(kinds.count >= 15, "error types: \(kinds.sorted())")
    }

    @Test func everyDomainAppears() {
        let domains = Set(Self.sample.map(\.event.domain))
        #expect(domains.count >= 12)
        #expect(domains == Set(SimulatedWorkload.domains), "\(domains.sorted())")
        let series = Set(Self.sample.map { "\($0.event.domain)/\($0.event.aggregateType)/\($0.event.eventType)" })
        #expect(series.count > 60 && series.count < 200, "\(series.count) series")
    }

    @Test func everyDomainHasFailures() {
        let failing = Set(Self.generate(seed: 5, count: 40_000).filter(\.event.failed).map(\.event.domain))
        #expect(failing == Set(SimulatedWorkload.domains), "\(Set(SimulatedWorkload.domains).subtracting(failing).sorted()) never fail")
    }

    @Test func everyKindOfMessageAppears() {
        let kinds = Dictionary(grouping: Self.sample, by: \.message.kind).mapValues(\.count)
        for kind in SimulatedMessage.Kind.allCases { #expect(kinds[kind, default: 0] > 0, "\(kind)") }
        #expect(kinds[.malformed, default: 0] < 60 && kinds[.duplicate, default: 0] < 60)
    }

    @Test func gpuEventsAreInTheAgentFormatForBothVendorsWithFaults() throws {
        let nodes = Set(SimulatedGPU.nodes.map(\.node))
        let messages = Self.sample.filter { sample in
            let tokens = sample.message.subject.split(separator: ".")
            return tokens.count == 4 && tokens[1] == "gpu" && nodes.contains(String(tokens[2])) && GPUEventType(rawValue: String(tokens[3])) != nil
        }
        #expect(messages.count > 500)
        #expect(messages.allSatisfy { $0.event.domain == "gpu" })
        var types: Set<GPUEventType> = []
        var vendors: Set<GPUVendor> = []
        var migInstances = 0
        for (message, _) in messages {
            let event = try #require(GPUEventCodec.decode(message.payload), "\(message.subject)")
            #expect(message.subject == event.subject)
            #expect(message.header("Nats-Msg-Id") == event.eventID)
            #expect(GPUEventCodec.encode(event) == message.payload, "the agent's encoder, byte for byte")
            types.insert(event.eventType)
            #expect((message.kind == .failure) == [.xidError, .eccError].contains(event.eventType))
            vendors.insert(event.vendor)
            for reading in event.gpus ?? [] {
                if reading.migInstance != nil { migInstances += 1 }
                if let utilization = reading.utilizationGPU { #expect((0...1).contains(utilization)) }
                if let used = reading.memoryUsedBytes, let total = reading.memoryTotalBytes { #expect(used > 0 && used < total) }
            }
        }
        #expect(types.isSuperset(of: [.sampled, .xidError, .eccError, .throttled, .gpuLost]))
        #expect(vendors == [.nvidia, .apple])
        #expect(migInstances > 0)
        #expect(Set(messages.filter { $0.message.subject.hasSuffix(".sampled") }.map(\.message.subject)).count == 4, "one subject per node")
    }

    @Test func workflowsRunUnderOneCorrelationAndEndCompletedOrFailed() throws {
        var runs: [String: [SimulatedMessage]] = [:]
        var order: [String] = []
        for (message, _) in Self.sample where message.subject.hasPrefix("events.workflow.") {
            let id = try #require(message.header("X-Workflow-ID"))
            if runs[id] == nil { order.append(id) }
            runs[id, default: []].append(message)
        }
        var completed = 0
        var failed = 0
        for id in order {
            let messages = runs[id]!
            #expect(messages.first?.workflowMilestone == .started)
            let correlation = messages.first?.header("X-Message-ID")
            for (index, message) in messages.enumerated() {
                #expect(message.header("X-Correlation-ID") == correlation)
                #expect(message.header("X-Sequence") == String(index + 1))
                #expect(message.header("Nats-Msg-Id") == message.header("X-Message-ID"))
                if index > 0 { #expect(message.header("X-Causation-ID") == messages[index - 1].header("X-Message-ID")) }
            }
            let ends = messages.filter { $0.workflowMilestone == .completed || $0.workflowMilestone == .failed }
            #expect(ends.count <= 1 && (ends.isEmpty || ends.first == messages.last))
            if messages.last?.workflowMilestone == .completed { completed += 1 }
            if messages.last?.workflowMilestone == .failed {
                failed += 1
                #expect(messages.dropLast().last?.header("X-Event-Type") == "StepExecutionFailed")
            }
        }
        #expect(completed > 50 && failed > 3, "\(completed) completed, \(failed) failed")
    }

    @Test func workflowFailuresAreFailureEventsWithAnErrorType() {
        let failures = Self.sample.filter { $0.message.subject.hasPrefix("events.workflow.") && $0.message.kind == .failure }
        #expect(!failures.isEmpty)
        for (message, event) in failures {
            #expect(message.header("X-Error-Type") != nil)
            #expect(event.domain == "workflow" && event.failed && event.errorType != nil && event.errorType != "unknown")
        }
    }

    @Test func onlyRetriesRepeatAnEventID() {
        var seen = Set<String>()
        for (message, event) in Self.sample {
            guard let id = event.id else { continue }
            let isNew = seen.insert(id).inserted
            #expect(isNew == (message.kind != .duplicate), "\(message.subject) \(id)")
        }
    }

    @Test func theStreamSubjectsCaptureEverythingAndNothingOfNATS() {
        let filters = SimulatedWorkload.streamSubjects
        for (message, _) in Self.sample {
            #expect(filters.contains { Self.matches(message.subject, filter: $0) }, "\(message.subject)")
        }
        for system in ["$JS.API.INFO", "$KV.CIM_MONITOR.a.b", "_INBOX.abc.1", "$JS.ACK.S.C.1.1.1.1.0"] {
            #expect(!filters.contains { Self.matches(system, filter: $0) }, "\(system)")
        }
    }

    /// NATS subject matching: `*` one token, `>` one or more at the end.
    static func matches(_ subject: String, filter: String) -> Bool {
        let tokens = subject.split(separator: ".", omittingEmptySubsequences: false)
        let parts = filter.split(separator: ".", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            if part == ">" { return tokens.count > index }
            guard index < tokens.count, part == "*" || part == tokens[index] else { return false }
        }
        return tokens.count == parts.count
    }
}

extension SimulatedMessage {
    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
}
