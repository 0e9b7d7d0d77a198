import Foundation
import NIOCore
import NIOFoundationCompat

extension ServerInfo {
    /// Decodes the JSON of an `INFO` line.
    public init(json: ByteBuffer) throws(NATSError) {
        do {
            self = try JSONDecoder().decode(ServerInfo.self, from: json)
        } catch {
            throw NATSError(.protocolViolation, "INFO is not valid JSON: \(error)")
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
