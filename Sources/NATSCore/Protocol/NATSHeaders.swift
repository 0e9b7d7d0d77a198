import NIOCore

/// NATS message headers: an optional status line and multi-valued fields with case-insensitive lookup.
public struct NATSHeaders: Sendable, Equatable, Sequence {
    /// The status code of a status message (`NATS/1.0 100 Idle Heartbeat` → 100).
    public var status: Int?
    /// The status description (`Idle Heartbeat`), if any.
    public var statusDescription: String?
    private var fields: [(name: String, value: String)]

    public init() {
        self.fields = []
    }

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of a field, looked up case-insensitively.
    public subscript(name: String) -> String? {
        fields.first { Self.equalsIgnoringCase($0.name, name) }?.value
    }

    /// Every value of a field, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { Self.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    /// Adds a value (names may repeat).
    public mutating func append(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every value of `name` by one value.
    public mutating func set(_ name: String, _ value: String) {
        fields.removeAll { Self.equalsIgnoringCase($0.name, name) }
        fields.append((name: name, value: value))
    }

    public var isEmpty: Bool { fields.isEmpty && status == nil }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (lhs: NATSHeaders, rhs: NATSHeaders) -> Bool {
        lhs.status == rhs.status && lhs.statusDescription == rhs.statusDescription
            && lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8) { lowerASCII($0) == lowerASCII($1) }
    }

    @inline(__always) static func lowerASCII(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }
}

extension NATSHeaders {
    /// Parses a header block: `NATS/1.0[ code[ description]]\r\n` then `Name: value\r\n`… then `\r\n`.
    /// Works on the bytes (``NATSHeaderBlock``: lines end at CR LF; names and values are trimmed of spaces and
    /// tabs); only the names and values become strings.
    public init(parsing block: ByteBuffer) throws(NATSError) {
        self.init()
        let parsed: Result<(status: Int?, description: String?, fields: [(name: String, value: String)]), NATSError> =
            block.withUnsafeReadableBytes { bytes in
                func string(_ range: Range<Int>) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
                var fields: [(name: String, value: String)] = []
                return NATSHeaderBlock.scan(bytes) { fields.append((name: string($0.name), value: string($0.value))) }.map { line in
                    (line.code, line.code == nil || line.description.isEmpty ? nil : string(line.description), fields)
                }
            }
        switch parsed {
        case .success(let header):
            status = header.status
            statusDescription = header.description
            fields = header.fields
        case .failure(let error):
            throw error
        }
    }

    /// Appends the wire form of these headers (always starting with `NATS/1.0`).
    public func write(to buffer: inout ByteBuffer) {
        _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: encodedLength) { target in write(to: target.baseAddress!) }
    }

    /// The length in bytes of the wire form.
    public var encodedLength: Int {
        var length = 8 + 2 + 2  // NATS/1.0, its line end, the blank line
        if let status {
            length += 1 + String(status).utf8.count
            if let statusDescription { length += 1 + statusDescription.utf8.count }
        }
        for field in fields { length += field.name.utf8.count + 2 + field.value.utf8.count + 2 }
        return length
    }

    /// Writes the wire form at `base`, which has room for `encodedLength` bytes; returns the bytes written.
    public func write(to base: UnsafeMutableRawPointer) -> Int {
        var cursor = PublishFrame.copy("NATS/1.0", to: base)
        if let status {
            cursor += PublishFrame.copy(" ", to: base + cursor)
            cursor += PublishFrame.copy(String(status), to: base + cursor)
            if let statusDescription {
                cursor += PublishFrame.copy(" ", to: base + cursor)
                cursor += PublishFrame.copy(statusDescription, to: base + cursor)
            }
        }
        cursor += PublishFrame.copy("\r\n", to: base + cursor)
        for field in fields {
            cursor += PublishFrame.copy(field.name, to: base + cursor)
            cursor += PublishFrame.copy(": ", to: base + cursor)
            cursor += PublishFrame.copy(field.value, to: base + cursor)
            cursor += PublishFrame.copy("\r\n", to: base + cursor)
        }
        return cursor + PublishFrame.copy("\r\n", to: base + cursor)
    }

    /// Checks that names and values cannot break the framing.
    public func validate() throws(NATSError) {
        for field in fields {
            if field.name.isEmpty || field.name.utf8.contains(where: { $0 <= 32 || $0 == 58 || $0 == 127 }) {
                throw NATSError(.invalidHeader, "header name \(field.name.debugDescription) is empty or has spaces, ':' or control characters")
            }
            if field.value.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
                throw NATSError(.invalidHeader, "header \(field.name) has a line break in its value")
            }
        }
    }
}
