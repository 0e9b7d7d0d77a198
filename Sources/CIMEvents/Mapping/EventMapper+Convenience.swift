extension EventMapper {
    /// Maps one message given as Swift values; for tests and cold paths.
    ///
    /// `headers` are written into a wire-format header block (`NATS/1.0\r\nName: value\r\n…\r\n`);
    /// an empty list means no headers. `reference` is as in ``map(subject:headers:payload:reference:)``.
    public mutating func map(subject: String, headers: [(String, String)], payload: [UInt8], reference: Double? = nil) -> Event {
        var block: [UInt8] = []
        if !headers.isEmpty {
            block.append(contentsOf: "NATS/1.0\r\n".utf8)
            for (name, value) in headers {
                block.append(contentsOf: name.utf8)
                block.append(contentsOf: ": ".utf8)
                block.append(contentsOf: value.utf8)
                block.append(contentsOf: "\r\n".utf8)
            }
            block.append(contentsOf: "\r\n".utf8)
        }
        var subject = subject
        return subject.withUTF8 { subject in
            block.withUnsafeBytes { headers in
                payload.withUnsafeBytes { payload in
                    map(subject: UnsafeRawBufferPointer(subject), headers: headers, payload: payload, reference: reference)
                }
            }
        }
    }
}
