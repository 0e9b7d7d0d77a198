#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a JetStream message's reply subject (`$JS.ACK.…`) says about it.
///
/// Both forms are understood: the 9-token `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ns>.<pending>`
/// and the 11-or-more-token form with domain and account hash after `ACK`.
public struct AckMetadata: Sendable, Equatable {
    public var domain: String?
    public var stream: String
    public var consumer: String
    /// 1 on first delivery.
    public var delivered: UInt64
    public var streamSequence: UInt64
    public var consumerSequence: UInt64
    /// When the stream stored the message, in nanoseconds since 1970.
    public var timestampNanoseconds: Int64
    /// Messages left for this consumer after this one.
    public var pending: UInt64

    public init(
        domain: String? = nil,
        stream: String,
        consumer: String,
        delivered: UInt64,
        streamSequence: UInt64,
        consumerSequence: UInt64,
        timestampNanoseconds: Int64,
        pending: UInt64
    ) {
        self.domain = domain
        self.stream = stream
        self.consumer = consumer
        self.delivered = delivered
        self.streamSequence = streamSequence
        self.consumerSequence = consumerSequence
        self.timestampNanoseconds = timestampNanoseconds
        self.pending = pending
    }

    /// Store time in unix seconds.
    public var timestamp: Double { Double(timestampNanoseconds) / 1e9 }

    /// Parses a reply subject; `nil` when it is not a JetStream ack subject.
    ///
    /// Runs once per consumed message: it scans the bytes in place, with the token bounds on the stack, and makes
    /// strings only for the stream, the consumer and the domain.
    public init?(replySubject: String) {
        self.init(replySubject: replySubject, knownStream: nil, knownConsumer: nil)
    }

    /// Parses a reply subject, taking `knownStream` and `knownConsumer` for the stream and consumer names when
    /// the subject names them: a consumer reading its own messages then makes no string per message.
    public init?(replySubject: String, knownStream: String?, knownConsumer: String?) {
        var subject = replySubject
        guard let parsed = subject.withUTF8({ Self.parse($0, knownStream: knownStream, knownConsumer: knownConsumer) }) else { return nil }
        self = parsed
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, knownStream: String?, knownConsumer: String?) -> AckMetadata? {
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: 11) { tokens -> AckMetadata? in
            var count = 0
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: ".") {
                if count < 11 { (tokens.baseAddress! + count).initialize(to: start..<index) }
                count += 1
                start = index + 1
            }
            guard count >= 9, count != 10 else { return nil }
            func token(_ index: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[tokens[index]]) }
            guard token(0).elementsEqual("$JS".utf8), token(1).elementsEqual("ACK".utf8) else { return nil }
            let base = count == 9 ? 2 : 4
            guard let delivered = number(token(base + 2)),
                let streamSequence = number(token(base + 3)),
                let consumerSequence = number(token(base + 4)),
                let timestamp = number(token(base + 5)),
                let pending = number(token(base + 6))
            else { return nil }
            var domain: String?
            if count > 9, !token(2).elementsEqual("_".utf8) { domain = String(decoding: token(2), as: UTF8.self) }
            return AckMetadata(
                domain: domain,
                stream: string(token(base), known: knownStream),
                consumer: string(token(base + 1), known: knownConsumer),
                delivered: delivered,
                streamSequence: streamSequence,
                consumerSequence: consumerSequence,
                timestampNanoseconds: Int64(clamping: timestamp),
                pending: pending
            )
        }
    }

    /// `known` when it is the text of `token`, else a new string.
    private static func string(_ token: UnsafeBufferPointer<UInt8>, known: String?) -> String {
        if var known, known.utf8.count == token.count,
            token.isEmpty || known.withUTF8({ memcmp($0.baseAddress!, token.baseAddress!, token.count) == 0 })
        {
            return known
        }
        return String(decoding: token, as: UTF8.self)
    }

    private static func number(_ token: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !token.isEmpty, token.count <= 20 else { return nil }
        var value: UInt64 = 0
        for byte in token {
            let digit = byte &- 48
            guard digit < 10 else { return nil }
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = added
        }
        return value
    }
}
