import EventMetrics
import Foundation
import Monitor
import NATS

/// A restored stream gets a new creation time, and the monitor knows a stream by its creation time: a snapshot of the
/// original would make `serve` take the restored stream for a new one (`stream_reset`, reason `recreated`) and count
/// its messages again. So after a restore, each snapshot in the monitor's bucket that was taken of a restored stream
/// (its identity is the creation time the backup recorded) is rebound to the restored stream's creation time, and
/// `serve` resumes exactly after the snapshot's sequence.
public struct MonitorSnapshotRebinding: Sendable {
    public let jetStream: JetStream
    public let bucket: String

    public init(jetStream: JetStream, bucket: String = "CIM_MONITOR") {
        self.jetStream = jetStream
        self.bucket = bucket
    }

    /// Rebinds the snapshots of the streams in `identities` (name → its creation time in the backup, and now).
    /// Returns how many snapshots were rebound; a missing bucket rebinds none.
    @discardableResult
    public func rebind(_ identities: [String: (old: String, new: String)]) async throws -> Int {
        guard !identities.isEmpty else { return 0 }
        let info: StreamInfo
        do {
            info = try await jetStream.streamInfo("KV_\(bucket)", subjectsFilter: "$KV.\(bucket).>")
        } catch let error as JetStreamError where error == .streamNotFound {
            return 0
        }
        let store = try await jetStream.keyValue(bucket: bucket)
        var rebound = 0
        for subject in (info.state.subjects ?? [:]).keys.sorted() {
            let key = String(subject.dropFirst("$KV.\(bucket).".count))
            guard let names = SnapshotKey.names(key), let identity = identities[names.stream], let entry = try await store.get(key),
                var fold = try? MetricsFold(snapshot: entry.value), fold.streamIdentity == identity.old, identity.old != identity.new
            else { continue }
            fold.streamIdentity = identity.new
            _ = try await store.update(key, fold.snapshot(), expectedRevision: entry.revision)
            rebound += 1
        }
        return rebound
    }
}
