import CIMEvents
import NATSHealth
import Testing

@Suite struct JetStreamReportReadingTests {
    /// A `/jsz` shaped like nats-server's, with the fields the report skips (objects, arrays, escapes) in between.
    static let document = #"""
        {"server_id":"NSRV","now":"2026-12-01T17:00:10Z","disabled":false,
         "config":{"max_memory":1024,"max_storage":4096,"store_dir":"\/data\/js","domain":"hub"},
         "memory":0,"storage":100,"reserved_memory":0,"reserved_storage":0,"streams":1,"consumers":2,"messages":10,"bytes":1000,
         "api":{"total":5,"errors":0,"level":1},"meta_cluster":{"name":"cim","leader":"n1","cluster_size":3,"peer":"x"},
         "account_details":[
          {"name":"APP","id":"AAPP","memory":12,"reserved_storage":18446744073709551615,
           "stream_detail":[
            {"name":"ORDERS","created":"2026-12-01T16:00:00Z","stream_raft_group":"S-R3F-1",
             "cluster":{"name":"cim","raft_group":"ignored","leader":"n2","replicas":[{"name":"n1","current":true,"lag":7},{"current":true},{"name":"n3","lag":-1}]},
             "config":{"name":"ORDERS","subjects":["orders.>"],"max_bytes":-1,"max_msgs":1e3,"num_replicas":3,"metadata":{"a":"b\u00e9"}},
             "state":{"messages":10,"bytes":1000,"first_seq":1,"last_seq":10,"consumer_count":2,"num_subjects":2,"deleted":[3,4]},
             "consumer_detail":[
              {"stream_name":"ORDERS","name":"billing","ts":"2026-12-01T17:00:10Z",
               "config":{"durable_name":"billing","description":"bills \"fast\"","ack_policy":"explicit"},
               "delivered":{"consumer_seq":7,"stream_seq":9,"last_active":"2026-12-01T17:00:08Z"},
               "ack_floor":{"consumer_seq":5,"stream_seq":6,"last_active":"2026-12-01T17:00:04.5Z"},
               "num_ack_pending":2,"num_redelivered":1,"num_waiting":0,"num_pending":1,"cluster":{"leader":"n2"}},
              {"name":"","num_pending":3},
              {"name":"audit","num_pending":18446744073709551616,"num_ack_pending":-1,"num_waiting":1.5,"num_redelivered":"4",
               "delivered":{"consumer_seq":1,"stream_seq":1,"last_active":"2026-12-01T17:00:08Z"}}
             ]},
            {"name":"","state":{"messages":1}}
           ]},
          {"id":"ANOID","memory":"12","reserved_memory":-5}
         ]}
        """#

    @Test func readsTheFieldsTheFamiliesUseAndSkipsTheRest() throws {
        let report = try #require(try JetStreamReport.read(Array(Self.document.utf8)))
        #expect(report.serverID == "NSRV")
        #expect(report.domain == "hub")
        #expect(report.metaLeader == "n1")
        #expect(report.metaClusterName == "cim")
        #expect(report.metaClusterSize == 3)
        #expect(report.maxStorage == 4096)
        #expect(report.bytes == 1000)
        #expect(report.now == RFC3339.seconds("2026-12-01T17:00:10Z"))
        #expect(report.accounts.map(\.name) == ["APP", "ANOID"])
        let app = report.accounts[0]
        #expect(app.id == "AAPP")
        #expect(app.memory == 12)
        #expect(app.storage == 0, "the server omits a usage of 0")
        #expect(app.reservedMemory == 0)
        #expect(app.reservedStorage == 0x1p64, "2^64 - 1 is unlimited, as the exporter writes it")
        #expect(app.streams.map(\.name) == ["ORDERS"])
        let stream = app.streams[0]
        #expect(stream.raftGroup == "S-R3F-1")
        #expect(stream.leader == "n2")
        #expect(stream.peers.map(\.name) == ["n1", "n3"])
        #expect(stream.peers[0].current == true && stream.peers[0].lag == 7)
        #expect(stream.peers[1].current == nil && stream.peers[1].lag == nil)
        #expect(stream.maxBytes == -1)
        #expect(stream.maxMessages == 1000)
        #expect(stream.replicas == 3)
        #expect(stream.messages == 10 && stream.firstSequence == 1 && stream.lastSequence == 10 && stream.subjectCount == 2)
        #expect(stream.consumers.map(\.name) == ["billing", "audit"])
        let billing = stream.consumers[0]
        #expect(billing.description == "bills \"fast\"")
        #expect(billing.leader == "n2")
        #expect(billing.deliveredConsumerSequence == 7 && billing.deliveredStreamSequence == 9)
        #expect(billing.ackFloorConsumerSequence == 5 && billing.ackFloorStreamSequence == 6)
        #expect(billing.ackPending == 2 && billing.redelivered == 1 && billing.waiting == 0 && billing.pending == 1)
        #expect(billing.lastDeliverySeconds == 2)
        #expect(billing.lastAckSeconds == 5.5)
        let noID = report.accounts[1]
        #expect(noID.id == "ANOID")
        #expect(noID.memory == nil, "a present usage must be a count")
        #expect(noID.reservedMemory == nil)
    }

    @Test func hostileNumbersAreNeverReadAsCounts() throws {
        let report = try #require(try JetStreamReport.read(Array(Self.document.utf8)))
        let audit = report.accounts[0].streams[0].consumers[1]
        #expect(audit.pending == nil)
        #expect(audit.ackPending == nil)
        #expect(audit.waiting == nil)
        #expect(audit.redelivered == nil)
        #expect(audit.lastDeliverySeconds == nil, "without the document's ts there is no age")
    }

    @Test func everyTruncationIsAnError() {
        let bytes = Array(Self.document.utf8)
        for end in 0..<bytes.count {
            #expect(throws: JSONParser.Failure.self) { try JetStreamReport.read(bytes[0..<end]) }
        }
    }

    @Test(arguments: [
        #"{"server_id":"N","api":{"total":01}}"#, #"{"server_id":"N","config":{"x":[1,]}}"#, #"{"server_id":"N"}x"#,
        #"{"server_id":"N","skip":"\q"}"#, #"{"server_id":"N","skip":tru}"#,
    ])
    func aSyntaxErrorInASkippedFieldIsStillAnError(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JetStreamReport.read(Array(text.utf8)) }
    }

    @Test func deepNestingInASkippedFieldIsRejectedNotCrashed() {
        let deep = #"{"server_id":"N","skip":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(throws: JSONParser.Failure.self) { try JetStreamReport.read(Array(deep.utf8)) }
    }

    @Test func theFirstOfARepeatedMemberCountsAndAMistypedOneIsAbsent() throws {
        let text = #"{"server_id":"N","streams":3,"streams":9,"messages":"10","config":{"max_memory":1},"config":{"max_memory":2}}"#
        let report = try #require(try JetStreamReport.read(Array(text.utf8)))
        #expect(report.streams == 3)
        #expect(report.messages == nil)
        #expect(report.maxMemory == 1)
    }

    @Test(arguments: [#"{"now":"2026-12-01T17:00:10Z"}"#, #"{"server_id":""}"#, #"{"server_id":5}"#, "[]", "null"])
    func aDocumentWithoutAServerIDIsNoReport(_ text: String) throws {
        #expect(try JetStreamReport.read(Array(text.utf8)) == nil)
    }
}
