import CIMEvents
import Foundation
import NATSCore
import NIOCore

/// One replayed message as a JSON Lines record:
/// `{"seq":N,"time":"<RFC 3339 ns>","subject":"…","headers":{"Name":["v",…]},"payload":<JSON>}`, or
/// `"payload_b64":"…"` when the payload is not JSON; `headers` only when there are any. A JSON payload is copied
/// as it is, with line breaks (only ever whitespace in valid JSON) turned into spaces.
///
/// Runs once per replayed message: the record is written from the message's bytes (the header block is read by
/// ``NATSHeaderBlock`` in place, the payload validated in one pass), with no string made per header.
public enum ReplayRecord {
    /// The record of a message as it came off the wire: `headerBlock` is its raw header block, if any. A header
    /// block that does not parse is left out, as ``NATSMessage/headers`` would be `nil`.
    public static func append(
        sequence: UInt64,
        timeNanoseconds: Int64,
        subject: String,
        headerBlock: ByteBuffer?,
        payload: ByteBuffer,
        to output: inout [UInt8]
    ) {
        appendStart(sequence: sequence, timeNanoseconds: timeNanoseconds, subject: subject, to: &output)
        headerBlock?.withUnsafeReadableBytes { appendHeaders(block: $0, to: &output) }
        appendPayload(payload, to: &output)
    }

    /// The record of a message whose headers are already parsed.
    public static func append(
        sequence: UInt64,
        timeNanoseconds: Int64,
        subject: String,
        headers: NATSHeaders?,
        payload: ByteBuffer,
        to output: inout [UInt8]
    ) {
        appendStart(sequence: sequence, timeNanoseconds: timeNanoseconds, subject: subject, to: &output)
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
        appendPayload(payload, to: &output)
    }

    /// `{"seq":N,"time":"…","subject":"…"`.
    private static func appendStart(sequence: UInt64, timeNanoseconds: Int64, subject: String, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"seq":"#.utf8)
        appendDecimal(sequence, to: &output)
        output.append(contentsOf: #","time":""#.utf8)
        RFC3339.append(nanoseconds: timeNanoseconds, to: &output)
        output.append(contentsOf: #"","subject":"#.utf8)
        JSONStringEscaper.append(subject, to: &output)
    }

    /// `,"payload":…` or `,"payload_b64":"…"`, then `}` and the line feed.
    private static func appendPayload(_ payload: ByteBuffer, to output: inout [UInt8]) {
        payload.withUnsafeReadableBytes { bytes in
            let validity = JSONValidation.validate(bytes)
            if validity != .invalid {
                output.append(contentsOf: #","payload":"#.utf8)
                let start = output.count
                output.append(contentsOf: bytes)
                if validity == .validWithLineBreaks {
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

    /// The decimal digits of `value`, as `String(value)` writes them.
    static func appendDecimal(_ value: UInt64, to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                rest /= 10
            } while rest > 0
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}
