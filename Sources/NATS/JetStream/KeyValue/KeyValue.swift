import NATSCore
import NIOCore

/// A JetStream key-value bucket (stream `KV_<bucket>`, subjects `$KV.<bucket>.<key>`).
public struct KeyValue: Sendable {
    public let jetStream: JetStream
    public let bucket: String

    var streamName: String { "KV_\(bucket)" }
    func subject(_ key: String) -> String { "$KV.\(bucket).\(key)" }

    /// One entry of the bucket.
    public struct Entry: Sendable {
        public enum Operation: String, Sendable {
            case put = "PUT"
            case delete = "DEL"
            case purge = "PURGE"
        }
        public var bucket: String
        public var key: String
        public var value: [UInt8]
        /// The stream sequence that stored this entry.
        public var revision: UInt64
        public var operation: Operation
        /// Stored at (unix seconds), when known.
        public var created: Double?
    }

    /// Stores a value; returns its revision.
    @discardableResult
    public func put(_ key: String, _ value: [UInt8]) async throws -> UInt64 {
        try Self.validate(key)
        return try await jetStream.publish(ByteBuffer(bytes: value), to: subject(key)).seq
    }

    /// Stores a value only if the key's latest revision is `expectedRevision` (0: the key must not exist).
    /// A stale revision throws `JetStreamError.revisionConflict`.
    @discardableResult
    public func update(_ key: String, _ value: [UInt8], expectedRevision: UInt64) async throws -> UInt64 {
        try Self.validate(key)
        return try await jetStream.publish(
            ByteBuffer(bytes: value),
            to: subject(key),
            expect: .init(lastSubjectSequence: expectedRevision)
        ).seq
    }

    /// Stores a value only if the key does not exist (or was deleted).
    @discardableResult
    public func create(_ key: String, _ value: [UInt8]) async throws -> UInt64 {
        do {
            return try await update(key, value, expectedRevision: 0)
        } catch let error as JetStreamError where error == .revisionConflict {
            guard let current = try await entry(key), current.operation != .put else { throw error }
            return try await update(key, value, expectedRevision: current.revision)
        }
    }

    /// The latest value, or `nil` when the key does not exist or was deleted.
    public func get(_ key: String) async throws -> Entry? {
        guard let entry = try await entry(key), entry.operation == .put else { return nil }
        return entry
    }

    /// The entry at one revision.
    public func get(_ key: String, revision: UInt64) async throws -> Entry? {
        try Self.validate(key)
        do {
            let stored = try await jetStream.getMessage(stream: streamName, sequence: revision)
            guard stored.subject == subject(key) else { return nil }
            return makeEntry(key: key, stored: stored)
        } catch let error as JetStreamError where error == .noMessageFound {
            return nil
        }
    }

    /// The latest entry including delete markers.
    func entry(_ key: String) async throws -> Entry? {
        try Self.validate(key)
        do {
            let stored = try await jetStream.getMessage(stream: streamName, lastBySubject: subject(key))
            return makeEntry(key: key, stored: stored)
        } catch let error as JetStreamError where error == .noMessageFound {
            return nil
        }
    }

    private func makeEntry(key: String, stored: StoredMessage) -> Entry {
        let operation = stored.headers?["KV-Operation"].flatMap(Entry.Operation.init(rawValue:)) ?? .put
        return Entry(bucket: bucket, key: key, value: stored.data, revision: stored.sequence, operation: operation, created: nil)
    }

    /// Marks the key deleted (history is kept).
    public func delete(_ key: String) async throws {
        try Self.validate(key)
        try await jetStream.publish(ByteBuffer(), to: subject(key), headers: NATSHeaders([("KV-Operation", "DEL")]))
    }

    /// Removes the key's history, leaving one purge marker.
    public func purge(_ key: String) async throws {
        try Self.validate(key)
        try await jetStream.publish(ByteBuffer(), to: subject(key), headers: NATSHeaders([("KV-Operation", "PURGE"), ("Nats-Rollup", "sub")]))
    }

    /// Every stored revision of a key, oldest first.
    public func history(_ key: String) async throws -> [Entry] {
        try Self.validate(key)
        let info = try await jetStream.streamInfo(streamName)
        guard info.state.lastSeq > 0 else { return [] }
        var entries: [Entry] = []
        let consumer = jetStream.orderedConsumer(stream: streamName, filterSubjects: [subject(key)], stopAt: info.state.lastSeq)
        for try await message in consumer {
            entries.append(entry(key: key, message))
        }
        return entries
    }

    /// Updates as they happen: first the latest entry of each matching key, then every change.
    /// `key` may use `*` and `>` wildcards.
    public func watch(_ key: String = ">") -> AsyncThrowingMapSequence<OrderedConsumer, Entry> {
        let prefix = "$KV.\(bucket)."
        return jetStream.orderedConsumer(stream: streamName, filterSubjects: [subject(key)], start: .lastPerSubject, batch: 256).map { message in
            entry(key: String(message.subject.dropFirst(prefix.count)), message)
        }
    }

    private func entry(key: String, _ message: JetStreamMessage) -> Entry {
        let operation = message.headers?["KV-Operation"].flatMap(Entry.Operation.init(rawValue:)) ?? .put
        return Entry(
            bucket: bucket,
            key: key,
            value: Array(message.payload.readableBytesView),
            revision: message.metadata.streamSequence,
            operation: operation,
            created: message.metadata.timestamp
        )
    }

    static func validate(_ key: String) throws {
        guard !key.isEmpty, !key.hasPrefix("."), !key.hasSuffix("."), key.utf8.allSatisfy(isKeyByte) else {
            throw JetStreamError(status: 400, errCode: -3, message: "invalid key \(key.debugDescription): use letters, digits, - _ / = and .")
        }
    }

    private static let allowedPunctuation: Set<UInt8> = Set("-_/=.*>".utf8)

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): true
        default: allowedPunctuation.contains(byte)
        }
    }
}

extension JetStream {
    /// Creates a bucket (or returns it when it exists with the same settings).
    /// - Parameters:
    ///   - history: revisions kept per key (1…64).
    ///   - ttl: seconds an entry lives; 0 for ever.
    public func createKeyValue(
        bucket: String,
        history: Int = 1,
        ttl: Double = 0,
        storage: String = "file",
        replicas: Int = 1
    ) async throws
        -> KeyValue
    {
        _ = try Self.checkedName(bucket)
        guard (1...64).contains(history) else {
            throw JetStreamError(status: 400, errCode: -3, message: "history must be between 1 and 64")
        }
        var config = StreamConfig(name: "KV_\(bucket)", subjects: ["$KV.\(bucket).>"], storage: storage)
        config.maxMsgsPerSubject = Int64(history)
        config.maxAge = Int64(ttl * 1e9)
        config.allowRollupHdrs = true
        config.denyDelete = true
        config.allowDirect = true
        config.discard = "new"
        config.numReplicas = replicas
        config.duplicateWindow = ttl > 0 ? min(Int64(ttl * 1e9), 120_000_000_000) : 120_000_000_000
        try await createOrUpdateStream(config)
        return KeyValue(jetStream: self, bucket: bucket)
    }

    /// An existing bucket; fails with `streamNotFound` when it does not exist.
    public func keyValue(bucket: String) async throws -> KeyValue {
        _ = try await streamInfo("KV_\(try Self.checkedName(bucket))")
        return KeyValue(jetStream: self, bucket: bucket)
    }

    /// Deletes a bucket and everything in it.
    public func deleteKeyValue(bucket: String) async throws {
        try await deleteStream("KV_\(try Self.checkedName(bucket))")
    }
}
