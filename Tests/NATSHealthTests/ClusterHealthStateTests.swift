import NATSHealth
import Testing

@Suite struct ClusterHealthStateTests {
    static let names = ["n1", "n2", "n3"]

    static func all(leader: String = "n1", except missing: Set<String> = []) -> [ServerSnapshot] {
        names.filter { !missing.contains($0) }.map { name in
            Snapshots.server(name, routes: names.filter { $0 != name && !missing.contains($0) }, metaLeader: leader)
        }
    }

    @Test func aServerThatStopsAnsweringIsDownWithOneEventAndUpAgainWithAnother() {
        var state = ClusterHealthState()
        #expect(state.pollCompleted(Self.all()).isEmpty)
        #expect(state.view.servers.map(\.up) == [true, true, true])
        let down = state.pollCompleted(Self.all(except: ["n2"]))
        #expect(down == [HealthEvent("server_down", ["server_name": "n2", "cluster": "cim"])])
        #expect(state.view.downServers.map(\.name) == ["n2"])
        #expect(state.view.expectedServers == 3)
        #expect(state.pollCompleted(Self.all(except: ["n2"])).isEmpty)
        let up = state.pollCompleted(Self.all())
        #expect(up == [HealthEvent("server_up", ["server_name": "n2", "cluster": "cim"])])
    }

    @Test func aServerOnlyARouteNamesIsDownNotAbsent() {
        var state = ClusterHealthState()
        let events = state.pollCompleted([Snapshots.server("n1", routes: ["n2", "n3"], metaLeader: "n1")])
        #expect(events.map(\.name) == ["server_down", "server_down"])
        #expect(state.view.servers.map(\.name) == ["n1", "n2", "n3"])
        #expect(state.view.downServers.count == 2)
    }

    @Test func configuredExpectedServersWinsOverTheLargestSeen() {
        var state = ClusterHealthState(expectedServers: 5)
        _ = state.pollCompleted(Self.all())
        #expect(state.view.expectedServers == 5)
    }

    @Test func anUnansweredURLIsADownServerUnderItsURL() {
        var state = ClusterHealthState()
        let events = state.pollCompleted([], unanswered: ["http://127.0.0.1:1"])
        #expect(events.map(\.name) == ["server_down"])
        #expect(state.view.servers.first?.name == "http://127.0.0.1:1")
    }

    @Test func aNewMetaLeaderIsAnEventAndTheOldOneIsNotReportedAsLeader() {
        var state = ClusterHealthState()
        _ = state.pollCompleted(Self.all(leader: "n1"))
        #expect(state.view.metaLeader == "n1")
        let changed = state.pollCompleted(Self.all(leader: "n2", except: ["n1"]))
        #expect(changed.contains(HealthEvent("meta_leader_changed", ["cluster": "cim", "server_name": "n2", "previous": "n1"])))
        #expect(state.view.metaLeader == "n2")
        // A leader named only by servers that are not answering does not count.
        _ = state.pollCompleted([Snapshots.server("n3", metaLeader: "n1")])
        #expect(state.view.metaLeader == nil)
    }

    @Test func streamLeaderChangesAreEvents() {
        var state = ClusterHealthState()
        _ = state.pollCompleted([Snapshots.server("n1", streams: [("ORDERS", "n1", [])])])
        #expect(state.view.streams.first?.leader == "n1")
        let events = state.pollCompleted([Snapshots.server("n1", streams: [("ORDERS", "n3", [])])])
        #expect(events == [HealthEvent("stream_leader_changed", ["account": "APP", "stream": "ORDERS", "server_name": "n3", "previous": "n1"])])
    }

    @Test func aConsumerWhoseAckFloorStaysWithMessagesPendingStallsAfterNPollsAndRecovers() {
        var state = ClusterHealthState(stallPolls: 2)
        func poll(floor: UInt64, pending: UInt64) -> [String] {
            state.pollCompleted([Snapshots.server("n1", streams: [("ORDERS", "n1", [("worker", floor, pending, 1)])])]).map(\.name)
        }
        #expect(poll(floor: 5, pending: 3).isEmpty)
        #expect(poll(floor: 5, pending: 3).isEmpty)
        #expect(state.view.consumers.first?.stalled == false)
        #expect(poll(floor: 5, pending: 3) == ["consumer_stalled"])
        #expect(state.view.consumers.first?.stalled == true)
        #expect(poll(floor: 5, pending: 3).isEmpty)
        #expect(poll(floor: 6, pending: 2) == ["consumer_recovered"])
        #expect(state.view.consumers.first?.stalled == false)
    }

    @Test func anIdleConsumerNeverStalls() {
        var state = ClusterHealthState(stallPolls: 1)
        for _ in 0..<5 {
            let events = state.pollCompleted([Snapshots.server("n1", streams: [("ORDERS", "n1", [("idle", 10, 0, 0)])])])
            #expect(events.isEmpty)
        }
        #expect(state.view.consumers.first?.unacknowledged == 0)
    }

    @Test func messagesThatJustArrivedAreNotAStall() {
        var state = ClusterHealthState(stallPolls: 1)
        func poll(pending: UInt64) -> [String] {
            state.pollCompleted([Snapshots.server("n1", streams: [("ORDERS", "n1", [("worker", 5, pending, 0)])])]).map(\.name)
        }
        #expect(poll(pending: 0).isEmpty)
        #expect(poll(pending: 3).isEmpty)  // the floor did not move, but nothing was waiting before
        #expect(poll(pending: 3) == ["consumer_stalled"])
    }
}
