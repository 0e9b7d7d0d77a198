import Foundation
import NATSCore
import NIOCore

extension JetStream {
    private struct CreateConsumerRequest: Encodable {
        var streamName: String
        var config: ConsumerConfig
        var action: String?
    }

    /// Creates a consumer (durable when `durableName` is set, else ephemeral with `name`, or server-named).
    @discardableResult
    public func createConsumer(stream: String, config: ConsumerConfig) async throws -> ConsumerInfo {
        try await upsertConsumer(stream: stream, config: config, action: "create")
    }

    /// Updates an existing consumer's configuration.
    @discardableResult
    public func updateConsumer(stream: String, config: ConsumerConfig) async throws -> ConsumerInfo {
        try await upsertConsumer(stream: stream, config: config, action: "update")
    }

    /// Creates the consumer or updates it when it exists.
    @discardableResult
    public func createOrUpdateConsumer(stream: String, config: ConsumerConfig) async throws -> ConsumerInfo {
        try await upsertConsumer(stream: stream, config: config, action: nil)
    }

    private func upsertConsumer(stream: String, config: ConsumerConfig, action: String?) async throws -> ConsumerInfo {
        let streamName = try Self.checkedName(stream)
        var endpoint = "CONSUMER.CREATE.\(streamName)"
        if let name = config.durableName ?? config.name {
            endpoint += ".\(try Self.checkedName(name))"
            if let filter = config.filterSubject, config.filterSubjects == nil { endpoint += ".\(filter)" }
        }
        return try await call(endpoint, body: CreateConsumerRequest(streamName: streamName, config: config, action: action))
    }

    public func consumerInfo(stream: String, name: String) async throws -> ConsumerInfo {
        try await call("CONSUMER.INFO.\(try Self.checkedName(stream)).\(try Self.checkedName(name))")
    }

    public func deleteConsumer(stream: String, name: String) async throws {
        let _: SuccessResponse = try await call("CONSUMER.DELETE.\(try Self.checkedName(stream)).\(try Self.checkedName(name))")
    }

    /// Every consumer of a stream, following the API's paging.
    public func consumers(stream: String) async throws -> [ConsumerInfo] {
        try await allPages("CONSUMER.LIST.\(try Self.checkedName(stream))")
    }

    /// The names of a stream's consumers.
    public func consumerNames(stream: String) async throws -> [String] {
        try await allPages("CONSUMER.NAMES.\(try Self.checkedName(stream))")
    }
}
