/// Why folding went on at a new stream's first message, or started over (`cim_monitor_stream_resets_total{reason}`
/// and the `reason` of the `stream_reset` and `snapshot_invalid` self-events).
public enum StreamResetReason: String, Sendable, CaseIterable {
    /// The stream was deleted and created again: its creation time is not the one the fold was saved with.
    case recreated
    /// The fold's last sequence is beyond the stream's last sequence (a stream that is behind its snapshot).
    case snapshotAhead = "snapshot_ahead"
    /// The snapshot did not read (garbage, truncated, another format): the stream is recounted from its start.
    case snapshotInvalid = "snapshot_invalid"

    /// Whether a fold saved at `foldSequence` of the stream created at `foldIdentity` (empty: unknown, as in version 1
    /// snapshots) can go on with the stream as it is now; `nil` when it can, else why not.
    ///
    /// An unknown identity is taken to be this stream, so only a sequence beyond its end can reveal a replacement.
    public static func check(
        foldIdentity: String,
        foldSequence: UInt64,
        streamCreated: String,
        streamLastSequence: UInt64
    ) -> StreamResetReason? {
        if !foldIdentity.isEmpty && foldIdentity != streamCreated { return .recreated }
        if foldSequence > streamLastSequence { return .snapshotAhead }
        return nil
    }
}
