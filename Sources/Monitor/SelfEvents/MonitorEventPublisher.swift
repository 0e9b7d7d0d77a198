import Foundation
import NATS
import NATSCore
import NIOCore

/// Publishes the monitor's own happenings as CIM events on `cim.monitor.<instance>.<event>`.
///
/// The monitor logs nothing in normal operation: what it would log goes out as an event in CIM's envelope, and
/// flows through the same streams, metrics and alerts as every other event.
public struct MonitorEventPublisher: Sendable {
    public let client: NATSClient
    public let instance: String

    public init(client: NATSClient, instance: String) {
        self.client = client
        self.instance = Self.subjectToken(instance)
    }

    /// The subject of one kind of event.
    public func subject(_ event: String) -> String { "cim.monitor.\(instance).\(event)" }

    /// Publishes `event` with extra string fields. Failures are swallowed: while NATS is unreachable the
    /// client buffers, and a full buffer must not stop the monitor.
    public func publish(_ event: String, _ details: [String: String] = [:]) async {
        var envelope: [String: String] = details
        envelope["event_id"] = UUID().uuidString.lowercased()
        envelope["event_type"] = event
        envelope["aggregate_type"] = "monitor"
        envelope["aggregate_id"] = instance
        envelope["instance"] = instance
        envelope["occurred_at"] = Self.timestamp()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(envelope) else { return }
        var headers = NATSHeaders()
        headers.append("X-Event-Type", event)
        headers.append("Nats-Msg-Id", envelope["event_id"]!)
        try? await client.publish(ByteBuffer(bytes: data), to: subject(event), headers: headers)
    }

    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// Makes a name safe as one subject token.
    static func subjectToken(_ name: String) -> String {
        let mapped = name.unicodeScalars.map { scalar -> Character in
            let ok = (scalar.properties.isAlphabetic && scalar.isASCII) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
            return ok ? Character(scalar) : "_"
        }
        let token = String(mapped)
        return token.isEmpty ? "monitor" : token
    }
}
