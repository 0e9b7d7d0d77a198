import Foundation
import NATSCore
import NIOCore

extension JetStream {
    /// Creates a stream; fails with `streamNameInUse` when one exists with another configuration.
    @discardableResult
    public func createStream(_ config: StreamConfig) async throws -> StreamInfo {
        try await call("STREAM.CREATE.\(try Self.checkedName(config.name))", body: config)
    }

    @discardableResult
    public func updateStream(_ config: StreamConfig) async throws -> StreamInfo {
        try await call("STREAM.UPDATE.\(try Self.checkedName(config.name))", body: config)
    }

    /// Creates the stream, or updates it when it already exists.
    @discardableResult
    public func createOrUpdateStream(_ config: StreamConfig) async throws -> StreamInfo {
        do {
            return try await updateStream(config)
        } catch let error as JetStreamError where error == .streamNotFound {
            return try await createStream(config)
        }
    }

    public func deleteStream(_ name: String) async throws {
        let _: SuccessResponse = try await call("STREAM.DELETE.\(try Self.checkedName(name))")
    }

    /// Information about a stream; with `subjectsFilter`, its state counts messages per matching subject.
    public func streamInfo(_ name: String, subjectsFilter: String? = nil) async throws -> StreamInfo {
        struct Request: Encodable { var subjectsFilter: String? }
        if let subjectsFilter {
            return try await call("STREAM.INFO.\(try Self.checkedName(name))", body: Request(subjectsFilter: subjectsFilter))
        }
        return try await call("STREAM.INFO.\(try Self.checkedName(name))")
    }

    /// The names of all streams (optionally those listening on `subject`), following the API's paging.
    public func streamNames(subject: String? = nil) async throws -> [String] {
        try await allPages("STREAM.NAMES", subject: subject)
    }

    /// Every stream's information, following the API's paging.
    public func streams() async throws -> [StreamInfo] {
        try await allPages("STREAM.LIST")
    }

    /// Removes messages: all, those on `subject`, all but the newest `keep`, or those below `upToSequence`.
    /// Returns how many were removed.
    @discardableResult
    public func purgeStream(_ name: String, subject: String? = nil, keep: UInt64? = nil, upToSequence: UInt64? = nil) async throws -> UInt64 {
        struct Request: Encodable {
            var filter: String?
            var keep: UInt64?
            var seq: UInt64?
        }
        struct Response: Decodable {
            var success: Bool
            var purged: UInt64
        }
        let response: Response = try await call(
            "STREAM.PURGE.\(try Self.checkedName(name))",
            body: Request(filter: subject, keep: keep, seq: upToSequence)
        )
        return response.purged
    }

    /// Deletes one message by sequence.
    public func deleteMessage(stream: String, sequence: UInt64) async throws {
        struct Request: Encodable { var seq: UInt64 }
        let _: SuccessResponse = try await call("STREAM.MSG.DELETE.\(try Self.checkedName(stream))", body: Request(seq: sequence))
    }

    static func checkedName(_ name: String) throws -> String {
        guard !name.isEmpty, !name.utf8.contains(where: isForbiddenInName) else {
            throw JetStreamError(status: 400, errCode: -3, message: "invalid name \(name.debugDescription): no spaces, '.', '*' or '>'")
        }
        return name
    }
}

private let forbiddenInNames: Set<UInt8> = Set(".*>".utf8)

private func isForbiddenInName(_ byte: UInt8) -> Bool {
    byte <= 32 || forbiddenInNames.contains(byte)
}

struct SuccessResponse: Decodable {
    var success: Bool
}
