import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes server operations from a `ByteBuffer` without copying payloads.
///
/// `next(from:)` consumes one complete operation, or returns `nil` and leaves the buffer untouched when the
/// operation is not complete yet, so any split of the input gives the same operations. Control lines are capped at
/// `maxControlLine` bytes and payloads at `maxPayload` bytes; violations throw a typed error naming the bytes.
public struct NATSProtocolParser: Sendable {
    public var maxControlLine: Int
    public var maxPayload: Int

    public init(maxControlLine: Int = 4096, maxPayload: Int = 64 << 20) {
        self.maxControlLine = maxControlLine
        self.maxPayload = maxPayload
    }

    /// The subject of the last message: a subscription's messages mostly share their subject, and reusing the
    /// string saves creating (for subjects over 15 bytes, allocating) one per message.
    private var lastSubject = ""

    /// What `next(from:deliver:)` found.
    public enum Step {
        /// The buffer does not hold a whole operation yet; nothing was consumed.
        case incomplete
        /// A message, handed to `deliver`.
        case delivered
        /// Any other operation.
        case operation(ServerOp)
    }

    /// Parses the next operation from `buffer`.
    public mutating func next(from buffer: inout ByteBuffer) throws(NATSError) -> ServerOp? {
        var delivered: NATSMessage?
        switch try next(from: &buffer, deliver: { delivered = $0 }) {
        case .incomplete: return nil
        case .delivered: return .message(delivered!)
        case .operation(let op): return op
        }
    }

    /// Parses the next operation from `buffer`, handing a message straight to `deliver`: the hot path of receiving,
    /// where wrapping each message in a `ServerOp` and taking it out again would copy it (a retain and a release of
    /// each of its buffers).
    public mutating func next(from buffer: inout ByteBuffer, deliver: (consuming NATSMessage) -> Void) throws(NATSError) -> Step {
        let limit = maxControlLine
        // One pass over the control line: find its end, parse it, and take a message's subject from it.
        let scanned = try buffer.withUnsafeReadableBytes { raw throws(NATSError) -> (length: Int, op: ParsedLine)? in
            guard let length = Self.controlLineLength(raw, limit: limit) else { return nil }
            let line = UnsafeRawBufferPointer(rebasing: raw[0..<length])
            let op = try Self.parseControlLine(line)
            if case .msg(let args) = op { takeSubject(UnsafeRawBufferPointer(rebasing: line[args.subject])) }
            return (length, op)
        }
        guard let (lineLength, op) = scanned else {
            if buffer.readableBytes >= limit + 2 {
                throw NATSError(.controlLineTooLong, "control line longer than \(limit) bytes: \(Self.describe(buffer, at: buffer.readerIndex))")
            }
            return .incomplete
        }
        let start = buffer.readerIndex
        let afterLine = lineLength + 2
        switch op {
        case .ping:
            buffer.moveReaderIndex(forwardBy: afterLine)
            return .operation(.ping)
        case .pong:
            buffer.moveReaderIndex(forwardBy: afterLine)
            return .operation(.pong)
        case .ok:
            buffer.moveReaderIndex(forwardBy: afterLine)
            return .operation(.ok)
        case .err(let text):
            buffer.moveReaderIndex(forwardBy: afterLine)
            return .operation(.error(text))
        case .info(let jsonStart):
            let json = buffer.getSlice(at: start + jsonStart, length: lineLength - jsonStart)!
            let info = try ServerInfo(json: json)
            buffer.moveReaderIndex(forwardBy: afterLine)
            return .operation(.info(info))
        case .msg(let args):
            guard args.totalSize <= maxPayload else {
                throw NATSError(.payloadTooLarge, "message of \(args.totalSize) bytes exceeds the limit of \(maxPayload)")
            }
            let frameLength = afterLine + args.totalSize + 2
            guard buffer.readableBytes >= frameLength else { return .incomplete }
            let end = start + afterLine + args.totalSize
            guard buffer.getInteger(at: end, as: UInt16.self) == 0x0D0A else {
                throw NATSError(.protocolViolation, "message payload is not followed by CRLF: \(Self.describe(buffer, at: end))")
            }
            let reply = args.reply.map { buffer.getString(at: start + $0.lowerBound, length: $0.count)! }
            if let headerSize = args.headerSize {
                try Self.checkHeaderBlock(buffer, at: start + afterLine, length: headerSize)
            }
            let headerBlock = args.headerSize.map { buffer.getSlice(at: start + afterLine, length: $0)! }
            let headerBytes = args.headerSize ?? 0
            let payload = buffer.getSlice(at: start + afterLine + headerBytes, length: args.totalSize - headerBytes)!
            buffer.moveReaderIndex(forwardBy: frameLength)
            deliver(NATSMessage(subject: lastSubject, sid: args.sid, replyTo: reply, headerBlock: headerBlock, payload: payload))
            return .delivered
        }
    }

    /// Makes `lastSubject` the string of `bytes`, reusing it when it already is.
    private mutating func takeSubject(_ bytes: UnsafeRawBufferPointer) {
        let same = lastSubject.utf8.withContiguousStorageIfAvailable { current in
            current.count == bytes.count && (bytes.isEmpty || memcmp(current.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        if same != true { lastSubject = String(decoding: bytes, as: UTF8.self) }
    }

    /// The length of the control line at the start of `raw` (without CRLF), or `nil` when it is incomplete.
    private static func controlLineLength(_ raw: UnsafeRawBufferPointer, limit: Int) -> Int? {
        let count = Swift.min(raw.count, limit + 2)
        guard count >= 2, let base = raw.baseAddress else { return nil }
        var index = 0
        while index < count - 1 {
            guard let found = memchr(base + index, 0x0D, count - 1 - index) else { return nil }
            index = base.distance(to: UnsafeRawPointer(found))
            if raw[index + 1] == 0x0A { return index }
            index += 1
        }
        return nil
    }

    enum ParsedLine {
        case ping, pong, ok
        case err(String)
        case info(jsonStart: Int)
        case msg(MessageArguments)
    }

    struct MessageArguments {
        var subject: Range<Int>
        var sid: UInt64
        var reply: Range<Int>?
        var headerSize: Int?
        var totalSize: Int
    }

    private static func parseControlLine(_ line: UnsafeRawBufferPointer) throws(NATSError) -> ParsedLine {
        guard let first = line.first else { throw violation(line, "empty control line") }
        switch first | 0x20 {
        case UInt8(ascii: "m"):
            guard line.count > 4, matches(line, "msg"), isSpace(line[3]) else { break }
            return .msg(try parseArguments(line, from: 4, headers: false))
        case UInt8(ascii: "h"):
            guard line.count > 5, matches(line, "hmsg"), isSpace(line[4]) else { break }
            return .msg(try parseArguments(line, from: 5, headers: true))
        case UInt8(ascii: "p"):
            if line.count >= 4, matches(line, "ping") { return .ping }
            if line.count >= 4, matches(line, "pong") { return .pong }
        case UInt8(ascii: "+"):
            if line.count >= 3, matches(line, "+ok") { return .ok }
        case UInt8(ascii: "-"):
            if line.count >= 4, matches(line, "-err") {
                var text = String(decoding: UnsafeRawBufferPointer(rebasing: line[4...]), as: UTF8.self)
                text = String(text.drop { $0 == " " || $0 == "\t" })
                if text.hasPrefix("'") { text.removeFirst() }
                if text.hasSuffix("'") { text.removeLast() }
                return .err(text)
            }
        case UInt8(ascii: "i"):
            if line.count > 5, matches(line, "info"), isSpace(line[4]) {
                var index = 5
                while index < line.count, isSpace(line[index]) { index += 1 }
                return .info(jsonStart: index)
            }
        default:
            break
        }
        throw violation(line, "unknown protocol operation")
    }

    private static func parseArguments(_ line: UnsafeRawBufferPointer, from start: Int, headers: Bool) throws(NATSError) -> MessageArguments {
        // At most five tokens, kept on the stack: this runs once per message.
        try withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: 6) { tokens throws(NATSError) -> MessageArguments in
            var count = 0
            var index = start
            while index < line.count {
                while index < line.count, isSpace(line[index]) { index += 1 }
                guard index < line.count else { break }
                let tokenStart = index
                while index < line.count, !isSpace(line[index]) { index += 1 }
                guard count < 5 else { throw violation(line, "too many arguments") }
                tokens[count] = tokenStart..<index
                count += 1
            }
            let minimum = headers ? 4 : 3
            guard count == minimum || count == minimum + 1 else {
                throw violation(line, "wrong number of arguments")
            }
            let hasReply = count == minimum + 1
            guard let sid = number(line, tokens[1]) else { throw violation(line, "bad subscription id") }
            let sizeIndex = hasReply ? 3 : 2
            if headers {
                guard let headerSize = number(line, tokens[sizeIndex]), let totalSize = number(line, tokens[sizeIndex + 1]) else {
                    throw violation(line, "bad size")
                }
                guard headerSize <= totalSize, headerSize >= 10 else { throw violation(line, "header size larger than total size or too small") }
                return MessageArguments(
                    subject: tokens[0],
                    sid: sid,
                    reply: hasReply ? tokens[2] : nil,
                    headerSize: Int(headerSize),
                    totalSize: Int(totalSize)
                )
            }
            guard let size = number(line, tokens[sizeIndex]) else { throw violation(line, "bad size") }
            return MessageArguments(subject: tokens[0], sid: sid, reply: hasReply ? tokens[2] : nil, headerSize: nil, totalSize: Int(size))
        }
    }

    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private static func matches(_ line: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard line.count >= count else { return false }
        let pointer = word.utf8Start
        for offset in 0..<count where line[offset] | 0x20 != pointer[offset] | 0x20 { return false }
        return true
    }

    private static func number(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value: UInt64 = 0
        for index in range {
            let digit = line[index] &- 48
            guard digit < 10 else { return nil }
            value = value * 10 + UInt64(digit)
        }
        return value
    }

    /// A header block starts with `NATS/1.0` and ends with an empty line; anything else is a protocol error (its
    /// headers would otherwise be dropped without a word).
    private static func checkHeaderBlock(_ buffer: ByteBuffer, at index: Int, length: Int) throws(NATSError) {
        // `NATS/1.0` read as one integer: this runs once per message, and reading bytes out would allocate.
        guard buffer.getInteger(at: index, endianness: .big, as: UInt64.self) == 0x4E41_5453_2F31_2E30 else {
            throw NATSError(.protocolViolation, "message header block does not start with NATS/1.0: \(describe(buffer, at: index))")
        }
        guard buffer.getInteger(at: index + length - 4, as: UInt32.self) == 0x0D0A_0D0A else {
            throw NATSError(.protocolViolation, "message header block does not end with an empty line: \(describe(buffer, at: index))")
        }
    }

    private static func violation(_ line: UnsafeRawBufferPointer, _ why: String) -> NATSError {
        let shown = String(decoding: UnsafeRawBufferPointer(rebasing: line.prefix(80)), as: UTF8.self)
        return NATSError(.protocolViolation, "\(why): \(shown.debugDescription)")
    }

    private static func describe(_ buffer: ByteBuffer, at index: Int) -> String {
        let length = Swift.min(80, buffer.writerIndex - index)
        guard length > 0, let bytes = buffer.getBytes(at: index, length: length) else { return "\"\"" }
        return String(decoding: bytes, as: UTF8.self).debugDescription
    }
}
