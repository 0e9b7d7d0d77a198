/// `manifest.json` of one stream's backup: what was backed up, from which server, when, and the size and
/// SHA-256 of every file. Written last, so a backup without one is incomplete.
public struct BackupManifest: Codable, Sendable, Equatable {
    public static let currentFormat = "cim-monitor-backup/1"

    public struct File: Codable, Sendable, Equatable {
        public var name: String
        public var size: Int64
        public var sha256: String

        public init(name: String, size: Int64, sha256: String) {
            self.name = name
            self.size = size
            self.sha256 = sha256
        }
    }

    public var format: String
    public var stream: String
    /// The backed-up stream's creation time (`StreamInfo.created`): the identity the monitor's snapshots of it carry.
    public var streamCreated: String?
    /// RFC 3339 time the backup finished.
    public var created: String
    public var serverVersion: String
    public var serverName: String?
    public var messages: UInt64
    public var bytes: UInt64
    public var firstSeq: UInt64
    public var lastSeq: UInt64
    public var consumers: [String]
    public var files: [File]

    public init(
        stream: String,
        streamCreated: String?,
        created: String,
        serverVersion: String,
        serverName: String?,
        messages: UInt64,
        bytes: UInt64,
        firstSeq: UInt64,
        lastSeq: UInt64,
        consumers: [String],
        files: [File]
    ) {
        format = Self.currentFormat
        self.stream = stream
        self.streamCreated = streamCreated
        self.created = created
        self.serverVersion = serverVersion
        self.serverName = serverName
        self.messages = messages
        self.bytes = bytes
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.consumers = consumers
        self.files = files
    }
}

/// The files of one stream's backup directory, named as the official `nats` CLI (jsm.go's `SnapshotToDirectory`)
/// names them: `backup.json`, and the snapshot data as `stream.arc.s2` when it is the `NATSARC1` archive nats-server
/// 2.15 and later send, or `stream.tar.s2` when it is the tar archive of earlier servers.
public enum BackupFiles {
    public static let manifest = "manifest.json"
    /// `{"config":…,"state":…}` as the server sent them with the snapshot.
    public static let stream = "backup.json"
    /// The snapshot data from nats-server 2.15 and later: an S2-compressed `NATSARC1` archive of the stream's store.
    public static let archiveData = "stream.arc.s2"
    /// The snapshot data from earlier servers: an S2-compressed tar of the stream's store.
    public static let tarData = "stream.tar.s2"
    /// Every consumer's info (configuration, delivered, ack floor) at backup time.
    public static let consumers = "consumers.json"

    /// The name of the data file in a backup that lists `files`: the first of ``archiveData`` and ``tarData`` it
    /// lists, or `nil`.
    public static func data(in files: [BackupManifest.File]) -> BackupManifest.File? {
        files.first { $0.name == archiveData } ?? files.first { $0.name == tarData }
    }
}
