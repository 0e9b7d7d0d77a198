import CIMEvents
import EventMetrics
import Foundation
import Monitor
import NATS
import NATSTestSupport
import Testing

/// The simulated CIM workload: deterministic for a seed, and every message means to the monitor what
/// the simulator meant by it.
@Suite struct SimulationTests {
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

    @Test func aboutThreePercentAreFailures() {
        let failures = Self.sample.filter(\.event.failed).count
        let ratio = Double(failures) / Double(Self.sample.count)
        #expect(ratio > 0.022 && ratio < 0.038, "failure ratio \(ratio)")
        let kinds = Set(Self.sample.compactMap(\.event.errorType))
        #expect(kinds.count >= 15, "error types: \(kinds.sorted())")
    }

    @Test func aDozenDomainsAndMoreAppear() {
        let domains = Set(Self.sample.map(\.event.domain))
        #expect(domains.count >= 12)
        #expect(domains == Set(SimulatedWorkload.domains), "\(domains.sorted())")
        let series = Set(Self.sample.map { "\($0.event.domain)/\($0.event.aggregateType)/\($0.event.eventType)" })
        #expect(series.count > 60 && series.count < 200, "\(series.count) series")
    }

    @Test func everyKindOfMessageAppears() {
        let kinds = Dictionary(grouping: Self.sample, by: \.message.kind).mapValues(\.count)
        for kind in SimulatedMessage.Kind.allCases { #expect(kinds[kind, default: 0] > 0, "\(kind)") }
        #expect(kinds[.gpuSample, default: 0] > 500)
        #expect(kinds[.malformed, default: 0] < 60 && kinds[.duplicate, default: 0] < 60)
        let samples = Self.sample.filter { $0.message.kind == .gpuSample }
        #expect(samples.allSatisfy { $0.event.domain == "gpu" && $0.event.eventType == "sample" })
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

    @Test func timestampsAreWrittenInEveryCIMForm() {
        let time = SimulatedTimestamp(seconds: 1_751_741_517.25)
        #expect(time.rfc3339() == "2025-07-05T18:51:57.250Z")
        #expect(time.rfc3339(fractionDigits: 6, offset: true) == "2025-07-05T18:51:57.250000+00:00")
        #expect(time.rfc3339(fractionDigits: 0) == "2025-07-05T18:51:57Z")
        #expect(SimulatedTimestamp(seconds: 951_782_400).rfc3339(fractionDigits: 0) == "2000-02-29T00:00:00Z")
        #expect(time.unixString() == "1751741517.25" && time.milliseconds == 1_751_741_517_250)
        #expect(time.systemTime == ["secs_since_epoch": 1_751_741_517, "nanos_since_epoch": 250_000_000])
    }

    @Test func theTokenBucketHoldsTheRate() {
        var bucket = TokenBucket(capacity: 10)
        var now = 0.0
        var taken = 0
        for _ in 0..<100_000 where now < 10 {
            let wait = bucket.take(now: now, rate: 100)
            if wait == 0 { taken += 1 } else { now += wait }
        }
        #expect(taken >= 1000 && taken <= 1011, "\(taken) tokens in 10 s at 100/s")
        #expect(bucket.take(now: now, rate: 100) == 0)  // the token the last wait was for
        #expect(bucket.take(now: now, rate: 100) > 0)
        #expect(bucket.take(now: now + 1, rate: 100) == 0)  // refilled, up to the capacity
    }

    @Test func burstsAreDeterministicAndAverageNearTheRate() {
        var first = BurstSchedule(seed: 3)
        var second = BurstSchedule(seed: 3)
        let factors = stride(from: 0.0, to: 3600, by: 0.5).map { first.factor(at: $0) }
        #expect(factors == stride(from: 0.0, to: 3600, by: 0.5).map { second.factor(at: $0) })
        #expect(factors.contains { $0 > 2.5 } && factors.contains { $0 < 0.5 })
        let mean = factors.reduce(0, +) / Double(factors.count)
        #expect(mean > 0.8 && mean < 1.3, "mean factor \(mean)")
    }

    @Test(.timeLimit(.minutes(2))) func aRunStoresExactlyWhatItsTallySays() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let jetStream = JetStream(client: client)
        var settings = SimulationRun.Settings()
        settings.stream = "SIM"
        settings.rate = 0
        settings.count = 3000
        settings.seed = 11
        let run = SimulationRun(jetStream: jetStream, settings: settings)
        await #expect(throws: JetStreamError.streamNotFound) { try await run.prepareStream(create: false) }
        #expect(try await run.prepareStream(create: true) == .created(subjects: SimulatedWorkload.streamSubjects))
        #expect(try await run.prepareStream(create: false) == .ready)

        let (tally, acks) = try await run.run(shouldStop: { false }, progress: { _ in })
        #expect(tally.published == 3000 && acks.acknowledged == 3000 && acks.failed == 0 && acks.duplicates == 0)
        #expect(try await jetStream.streamInfo("SIM").state.messages == 3000)

        let fold = try await StreamScan(jetStream: jetStream, stream: "SIM", configuration: MonitorConfiguration()).run()
        let families = fold.families()
        #expect(Self.total(families, "cim_events_total") == 3000)
        #expect(Self.total(families, "cim_events_failed_total") == UInt64(tally.failures))
        #expect(Self.total(families, "cim_event_duplicates_total") == UInt64(tally.kinds[.duplicate, default: 0]))
        #expect(Self.total(families, "cim_event_schema_violations_total") == UInt64(tally.kinds[.malformed, default: 0]))
        let workflowFailures = families.first { $0.name == "cim_events_failed_total" }?.series.filter {
            $0.labels.contains(MetricLabel("event_type", "workflow_failed"))
        }
        #expect(workflowFailures?.reduce(0) { $0 + Self.count($1.value) } == UInt64(tally.workflowsFailed))
        try await jetStream.deleteStream("SIM")

        // An existing stream that lacks subjects: reported, then extended on request.
        _ = try await jetStream.createStream(StreamConfig(name: "PART", subjects: ["cim.>"]))
        let partial = SimulationRun(
            jetStream: jetStream,
            settings: {
                var s = settings
                s.stream = "PART"
                return s
            }()
        )
        let missing = Array(SimulatedWorkload.streamSubjects.dropFirst())
        #expect(try await partial.prepareStream(create: false) == .incomplete(missing: missing))
        #expect(try await partial.prepareStream(create: true) == .extended(added: missing))
        #expect(try await partial.prepareStream(create: false) == .ready)
        await client.close()
    }

    @Test(.timeLimit(.minutes(1))) func aRunKeepsItsRateAndStopsWhenAsked() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.shutdown() }
        let client = try await server.connectedClient()
        let jetStream = JetStream(client: client)
        var settings = SimulationRun.Settings()
        settings.rate = 200
        settings.bursts = false
        settings.count = 300
        let run = SimulationRun(jetStream: jetStream, settings: settings)
        _ = try await run.prepareStream(create: true)
        let start = Date()
        let (tally, acks) = try await run.run(shouldStop: { false }, progress: { _ in })
        let elapsed = Date().timeIntervalSince(start)
        #expect(tally.published == 300 && acks.acknowledged == 300)
        // The token bucket never lets 300 messages at 200/s through faster than this, however fast the machine.
        #expect(elapsed > 1.2, "300 messages at 200/s took \(elapsed)s")

        let stopStart = Date()
        let deadline = stopStart.addingTimeInterval(0.5)
        settings.count = nil
        let (stopped, stoppedAcks) = try await SimulationRun(jetStream: jetStream, settings: settings).run(
            shouldStop: { Date() > deadline },
            progress: { _ in }
        )
        let stoppedAfter = Date().timeIntervalSince(stopStart)
        // Without a count it runs until asked to stop, within the rate, and every publish is acknowledged.
        #expect(stopped.published >= 1 && Double(stopped.published) <= 200 * stoppedAfter + 11)
        #expect(stoppedAcks.acknowledged == stopped.published)
        await client.close()
    }

    static func total(_ families: [MetricFamily], _ name: String) -> UInt64? {
        families.first { $0.name == name }?.series.reduce(0) { $0 + count($1.value) }
    }

    static func count(_ value: MetricValue) -> UInt64 {
        if case .count(let count) = value { return count }
        return 0
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
