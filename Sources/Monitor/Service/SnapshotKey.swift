/// The KV key of a stream's snapshot, `<instance>.<stream>`, for every (non-empty) instance and stream name.
///
/// KV keys allow only `[-/_=.a-zA-Z0-9]`, with `.` between tokens, but JetStream accepts stream names such as
/// `Q{X}`, `Q"X` or `Qé`. So each name becomes key tokens: a name of `[-/_=a-zA-Z0-9]` (but not `=` alone) is its
/// own token, which keeps the keys of existing deployments; any other name is the two tokens `=` and the
/// base64url of its UTF-8 without padding (`Qé` → `=.UcOp`). A lone `=` token only ever announces an encoded
/// name, so the encoding is reversible (``names(_:)``).
public enum SnapshotKey {
    /// The key of `stream`'s snapshot for `instance`.
    public static func key(instance: String, stream: String) -> String {
        "\(token(instance)).\(token(stream))"
    }

    /// The instance and stream names of a key made by ``key(instance:stream:)``; `nil` for any other text.
    public static func names(_ key: String) -> (instance: String, stream: String)? {
        var tokens = key.split(separator: ".", omittingEmptySubsequences: false)[...]
        guard let instance = name(&tokens), let stream = name(&tokens), tokens.isEmpty else { return nil }
        return (instance, stream)
    }

    /// One name as one or two key tokens.
    static func token(_ name: String) -> String {
        if name != "=", !name.isEmpty, name.utf8.allSatisfy(isPlain) { return name }
        return "=." + base64URL(Array(name.utf8))
    }

    private static func name(_ tokens: inout ArraySlice<Substring>) -> String? {
        guard let first = tokens.popFirst(), !first.isEmpty else { return nil }
        guard first == "=" else { return first.utf8.allSatisfy(isPlain) ? String(first) : nil }
        guard let encoded = tokens.popFirst(), let bytes = decodeBase64URL(encoded),
            let name = String(validating: bytes, as: UTF8.self), token(name) == "=.\(encoded)"
        else { return nil }
        return name
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): true
        case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "="): true
        default: false
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// RFC 4648 §5 base64url, without padding.
    static func base64URL(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * $1.offset) }
            for position in 0...chunk.count { out.append(alphabet[Int(value >> (18 - 6 * position) & 0x3F)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of unpadded base64url text; `nil` when it is not exactly what ``base64URL(_:)`` writes.
    static func decodeBase64URL(_ text: Substring) -> [UInt8]? {
        var values: [UInt32] = []
        for byte in text.utf8 {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt32(value))
        }
        guard !values.isEmpty, values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | $1.element << (18 - 6 * $1.offset) }
            for position in 0..<(chunk.count - 1) { out.append(UInt8(truncatingIfNeeded: value >> (16 - 8 * position))) }
            index += 4
        }
        return base64URL(out) == String(text) ? out : nil
    }
}
