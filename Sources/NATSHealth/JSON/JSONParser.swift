/// A strict JSON parser over bytes, with limits: nesting depth and document size. Any syntax error, a truncated
/// document or trailing bytes is an error; nothing is guessed.
///
/// It builds a whole tree, for the small documents; a large one (`/jsz` with every consumer is megabytes) is read
/// straight into its records (``JetStreamReport/read(_:)``) by the same grammar (`JSONReader`).
public struct JSONParser {
    /// Why a document could not be parsed.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    public static let maximumDepth = 64

    /// Parses one JSON document.
    public static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> JSONValue {
        try JSONReader.read(bytes) { (reader: inout JSONReader) throws(Failure) in try reader.value(depth: 0) }
    }

    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }
}
