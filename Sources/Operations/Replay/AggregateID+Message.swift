import Foundation
import NATSCore
import NIOCore
import NIOFoundationCompat

extension AggregateID {
    /// The aggregate id of a message: its subject's token when the shape carries one, else a header, else a
    /// payload field (`aggregate_id`, `stored_event.aggregate_id`, `workflow_id`); `nil` when none has one.
    ///
    /// The payload is only decoded when neither subject nor headers name the id.
    public static func find(subject: String, headers: NATSHeaders?, payload: ByteBuffer) -> String? {
        if let id = fromSubject(subject) { return String(id) }
        if let headers {
            for field in headers where headerNames.contains(field.name.lowercased()) && !field.value.isEmpty { return field.value }
        }
        guard payload.readableBytes > 0, payload.readableBytes <= 1 << 24,
            let object = (try? JSONSerialization.jsonObject(with: Data(buffer: payload, byteTransferStrategy: .noCopy))) as? [String: Any]
        else { return nil }
        if let id = object["aggregate_id"] as? String { return id }
        if let stored = object["stored_event"] as? [String: Any], let id = stored["aggregate_id"] as? String { return id }
        if let id = object["workflow_id"] as? String { return id }
        return nil
    }
}
