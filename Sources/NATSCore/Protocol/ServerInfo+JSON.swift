import Foundation
import NIOCore
import NIOFoundationCompat

extension ServerInfo {
    /// Decodes the JSON of an `INFO` line.
    /// Every number is range-checked: an `INFO` from a hostile or broken peer is a protocol error, never a crash.
    public init(json: ByteBuffer) throws(NATSError) {
        do {
            self = try JSONDecoder().decode(ServerInfo.self, from: json)
        } catch {
            throw NATSError(.protocolViolation, "INFO is not valid JSON: \(error)")
        }
        try validate()
    }

    /// The largest `max_payload` accepted from a server (1 GiB; nats-server's own ceiling is far below it).
    public static let maxPayloadCeiling = 1 << 30

    /// Checks the numbers that the client computes with.
    public func validate() throws(NATSError) {
        guard (1...Self.maxPayloadCeiling).contains(maxPayload) else {
            throw NATSError(.protocolViolation, "INFO has max_payload \(maxPayload), outside 1...\(Self.maxPayloadCeiling)")
        }
        if let port, !(0...65535).contains(port) {
            throw NATSError(.protocolViolation, "INFO has port \(port), outside 0...65535")
        }
        if let proto, !(0...1000).contains(proto) {
            throw NATSError(.protocolViolation, "INFO has proto \(proto), outside 0...1000")
        }
    }
}

extension ConnectRequest {
    /// The JSON of a `CONNECT` line.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings, bools and ints cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self)
    }
}
