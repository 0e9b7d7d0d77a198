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

/// The files of one stream's backup directory. `backup.json` and `stream.tar.s2` are what the official `nats`
/// CLI writes for `nats stream backup`.
public enum BackupFiles {
    public static let manifest = "manifest.json"
    /// `{"config":…,"state":…}` as the server sent them with the snapshot.
    public static let stream = "backup.json"
    /// The snapshot data exactly as the server sent it (S2-compressed archive of the stream's store).
    public static let data = "stream.tar.s2"
    /// Every consumer's info (configuration, delivered, ack floor) at backup time.
    public static let consumers = "consumers.json"
    public static let required = [stream, data]
}
