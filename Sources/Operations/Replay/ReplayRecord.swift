import CIMEvents
import Foundation
import NATSCore
import NIOCore

/// One replayed message as a JSON Lines record:
/// `{"seq":N,"time":"<RFC 3339 ns>","subject":"…","headers":{"Name":["v",…]},"payload":<JSON>}`, or
/// `"payload_b64":"…"` when the payload is not JSON; `headers` only when there are any. A JSON payload is copied
/// as it is, with line breaks (only ever whitespace in valid JSON) turned into spaces.
public enum ReplayRecord {
    public static func append(
        sequence: UInt64,
        timeNanoseconds: Int64,
        subject: String,
        headers: NATSHeaders?,
        payload: ByteBuffer,
        to output: inout [UInt8]
    ) {
        output.append(contentsOf: #"{"seq":"#.utf8)
        output.append(contentsOf: String(sequence).utf8)
        output.append(contentsOf: #","time":""#.utf8)
        RFC3339.append(nanoseconds: timeNanoseconds, to: &output)
        output.append(contentsOf: #"","subject":"#.utf8)
        JSONStringEscaper.append(subject, to: &output)
        if let headers, !headers.isEmpty {
            output.append(contentsOf: #","headers":{"#.utf8)
            var names: [String] = []
            for field in headers where !names.contains(field.name) { names.append(field.name) }
            for (index, name) in names.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONStringEscaper.append(name, to: &output)
                output.append(contentsOf: ":[".utf8)
                for (valueIndex, field) in headers.filter({ $0.name == name }).enumerated() {
                    if valueIndex > 0 { output.append(UInt8(ascii: ",")) }
                    JSONStringEscaper.append(field.value, to: &output)
                }
                output.append(UInt8(ascii: "]"))
            }
            output.append(UInt8(ascii: "}"))
        }
        payload.withUnsafeReadableBytes { bytes in
            if JSONValidation.isValid(bytes) {
                output.append(contentsOf: #","payload":"#.utf8)
                let start = output.count
                output.append(contentsOf: bytes)
                if bytes.contains(where: { $0 == 10 || $0 == 13 }) {
                    for index in start..<output.count where output[index] == 10 || output[index] == 13 { output[index] = 32 }
                }
            } else {
                output.append(contentsOf: #","payload_b64":""#.utf8)
                output.append(contentsOf: Data(bytes).base64EncodedString().utf8)
                output.append(UInt8(ascii: "\""))
            }
        }
        output.append(contentsOf: "}\n".utf8)
    }
}
