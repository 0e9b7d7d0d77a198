import NATSHealth

/// Server snapshots from monitoring JSON written in the tests, shaped like nats-server's.
enum Snapshots {
    static func server(
        _ name: String,
        cluster: String = "cim",
        routes: [String] = [],
        metaLeader: String? = nil,
        streams: [(name: String, leader: String, consumers: [(name: String, floor: UInt64, pending: UInt64, ackPending: UInt64)])] = []
    ) -> ServerSnapshot {
        var snapshot = ServerSnapshot(identity: ServerIdentity(id: "ID_\(name)", name: name, cluster: cluster, version: "2.15.1"))
        let routeList = routes.map { #"{"rid":1,"remote_id":"ID_\#($0)","remote_name":"\#($0)","in_msgs":1}"# }.joined(separator: ",")
        snapshot.routez = try! JSONParser.parse(#"{"server_id":"ID_\#(name)","num_routes":\#(routes.count),"routes":[\#(routeList)]}"#)
        let streamList = streams.map { stream in
            let consumers = stream.consumers.map { consumer in
                #"{"stream_name":"\#(stream.name)","name":"\#(consumer.name)","delivered":{"consumer_seq":\#(consumer.floor + consumer.ackPending),"stream_seq":\#(consumer.floor + consumer.ackPending)},"ack_floor":{"consumer_seq":\#(consumer.floor),"stream_seq":\#(consumer.floor)},"num_ack_pending":\#(consumer.ackPending),"num_redelivered":0,"num_waiting":0,"num_pending":\#(consumer.pending),"cluster":{"leader":"\#(stream.leader)"},"ts":"2026-12-01T17:00:10Z"}"#
            }.joined(separator: ",")
            return
                #"{"name":"\#(stream.name)","cluster":{"name":"\#(cluster)","leader":"\#(stream.leader)","replicas":[{"name":"peer","current":false,"lag":7}]},"config":{"name":"\#(stream.name)","num_replicas":3,"max_bytes":-1,"max_msgs":-1},"state":{"messages":10,"bytes":1000,"first_seq":1,"last_seq":10,"consumer_count":\#(stream.consumers.count),"num_subjects":2},"consumer_detail":[\#(consumers)]}"#
        }.joined(separator: ",")
        let meta = metaLeader.map { #","meta_cluster":{"name":"\#(cluster)","leader":"\#($0)","cluster_size":3}"# } ?? ""
        let jsz =
            #"{"server_id":"ID_\#(name)","now":"2026-12-01T17:00:10Z","config":{"max_memory":1024,"max_storage":4096,"domain":""},"memory":0,"storage":100,"streams":\#(streams.count),"consumers":1,"messages":10,"bytes":1000\#(meta),"account_details":[{"name":"APP","id":"APP","memory":0,"storage":100,"reserved_memory":0,"reserved_storage":0,"stream_detail":[\#(streamList)]}]}"#
        snapshot.jetStream = try! JetStreamReport.read(Array(jsz.utf8))
        return snapshot
    }
}
