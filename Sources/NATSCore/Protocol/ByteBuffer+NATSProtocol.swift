import NIOCore

/// Encoders for the client side of the protocol. Callers validate subjects before writing.
extension ByteBuffer {
    /// `PUB subject [reply] size\r\npayload\r\n`, or `HPUB` when headers are given, in one reservation and one copy
    /// per part: separate small writes (each with its capacity and exclusivity checks) would cost more than the bytes.
    public mutating func writePublish(subject: String, replyTo: String?, headers: NATSHeaders?, payload: ByteBuffer) {
        if let headers {
            let headerBytes = headers.encodedLength
            let length = PublishFrame.length(subject: subject, replyTo: replyTo, headerBytes: headerBytes, payloadBytes: payload.readableBytes)
            _ = writeWithUnsafeMutableBytes(minimumWritableBytes: length) { target in
                PublishFrame.write(
                    to: target.baseAddress!,
                    subject: subject,
                    replyTo: replyTo,
                    headers: headers,
                    headerBytes: headerBytes,
                    payload: payload
                )
            }
        } else {
            let length = PublishFrame.length(subject: subject, replyTo: replyTo, payloadBytes: payload.readableBytes)
            _ = writeWithUnsafeMutableBytes(minimumWritableBytes: length) { target in
                PublishFrame.write(to: target.baseAddress!, subject: subject, replyTo: replyTo, payload: payload)
            }
        }
    }

    /// `SUB subject [queue] sid\r\n`
    public mutating func writeSubscribe(subject: String, queue: String?, sid: UInt64) {
        writeStaticString("SUB ")
        writeString(subject)
        if let queue {
            writeStaticString(" ")
            writeString(queue)
        }
        writeStaticString(" ")
        writeDecimal(Int(sid))
        writeStaticString("\r\n")
    }

    /// `UNSUB sid [max]\r\n`
    public mutating func writeUnsubscribe(sid: UInt64, max: Int? = nil) {
        writeStaticString("UNSUB ")
        writeDecimal(Int(sid))
        if let max {
            writeStaticString(" ")
            writeDecimal(max)
        }
        writeStaticString("\r\n")
    }

    /// `CONNECT {json}\r\n`
    public mutating func writeConnect(_ request: ConnectRequest) {
        writeStaticString("CONNECT ")
        writeString(request.json())
        writeStaticString("\r\n")
    }

    public mutating func writePing() { writeStaticString("PING\r\n") }
    public mutating func writePong() { writeStaticString("PONG\r\n") }

    /// Writes a non-negative integer in decimal without allocating.
    public mutating func writeDecimal(_ value: Int) {
        precondition(value >= 0, "sizes and ids are never negative")
        if value < 10 {
            writeInteger(UInt8(48 + value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let count = withUnsafeMutableBytes(of: &digits) { raw -> Int in
            var remaining = value
            var index = raw.count
            while remaining > 0 {
                index -= 1
                raw[index] = UInt8(48 + remaining % 10)
                remaining /= 10
            }
            return raw.count - index
        }
        withUnsafeBytes(of: &digits) { raw in
            _ = writeBytes(UnsafeRawBufferPointer(rebasing: raw[(raw.count - count)...]))
        }
    }
}

/// Subject rules for what the client sends.
public enum NATSSubject {
    /// Checks a subject for publishing (`wildcards: false`) or subscribing.
    public static func validate(_ subject: String, wildcards: Bool) throws(NATSError) {
        let problem =
            subject.utf8.withContiguousStorageIfAvailable { check($0, wildcards: wildcards) }
            ?? Array(subject.utf8).withUnsafeBufferPointer { check($0, wildcards: wildcards) }
        switch problem {
        case .none: return
        case .whitespace: throw NATSError(.invalidSubject, "subject \(subject.debugDescription) contains whitespace or control characters")
        case .emptyToken: throw NATSError(.invalidSubject, "subject \(subject.debugDescription) has an empty token")
        case .wildcard: throw wildcardError(subject)
        case .emptyOrTrailingDot: throw NATSError(.invalidSubject, "subject \(subject.debugDescription) is empty or ends with '.'")
        }
    }

    private enum Problem { case none, whitespace, emptyToken, wildcard, emptyOrTrailingDot }

    /// The first problem of a subject's bytes: a tight loop over contiguous UTF-8, since every publish runs it.
    private static func check(_ bytes: UnsafeBufferPointer<UInt8>, wildcards: Bool) -> Problem {
        var tokenLength = 0
        var wildcardToken = false
        for byte in bytes {
            // Letters, digits and most punctuation: nothing to check but the token length.
            if byte > UInt8(ascii: ">") || (byte > UInt8(ascii: ".") && byte < UInt8(ascii: ">")) {
                tokenLength &+= 1
                wildcardToken = false
                continue
            }
            switch byte {
            case 0x20, 0x09, 0x0D, 0x0A, 0x00:
                return .whitespace
            case UInt8(ascii: "."):
                if tokenLength == 0 { return .emptyToken }
                if wildcardToken && !wildcards { return .wildcard }
                tokenLength = 0
            default:
                tokenLength &+= 1
                wildcardToken = tokenLength == 1 && (byte == UInt8(ascii: "*") || byte == UInt8(ascii: ">"))
            }
        }
        if tokenLength == 0 { return .emptyOrTrailingDot }
        if wildcardToken && !wildcards { return .wildcard }
        return .none
    }

    private static func wildcardError(_ subject: String) -> NATSError {
        NATSError(.invalidSubject, "cannot publish to the wildcard subject \(subject.debugDescription)")
    }

    /// Checks a queue group name.
    public static func validateQueue(_ queue: String) throws(NATSError) {
        guard !queue.isEmpty, !queue.utf8.contains(where: { $0 <= 32 }) else {
            throw NATSError(.invalidSubject, "queue group \(queue.debugDescription) is empty or contains whitespace")
        }
    }
}
