import CIMEvents
import CIMSimulation
import EventMetrics
import Foundation
import Monitor
import NATS
import NATSTestSupport
import Testing

/// `SimulationRun`, the simulator publishing into JetStream: the stream stores exactly what the tally says, at
/// the rate asked. The workload itself is tested without a server in `CIMSimulationTests`.
@Suite struct SimulationTests {
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
}
