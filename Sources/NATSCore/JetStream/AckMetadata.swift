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
    public init?(replySubject: String) {
        var tokens: [Substring] = []
        tokens.reserveCapacity(12)
        for token in replySubject.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            tokens.append(Substring(token))
        }
        guard tokens.count >= 9, tokens.count != 10, tokens[0] == "$JS", tokens[1] == "ACK" else { return nil }
        let base: Int
        if tokens.count == 9 {
            base = 2
            domain = nil
        } else {
            base = 4
            domain = tokens[2] == "_" ? nil : String(tokens[2])
        }
        guard let delivered = Self.number(tokens[base + 2]),
            let streamSequence = Self.number(tokens[base + 3]),
            let consumerSequence = Self.number(tokens[base + 4]),
            let timestamp = Self.number(tokens[base + 5]),
            let pending = Self.number(tokens[base + 6])
        else { return nil }
        stream = String(tokens[base])
        consumer = String(tokens[base + 1])
        self.delivered = delivered
        self.streamSequence = streamSequence
        self.consumerSequence = consumerSequence
        self.timestampNanoseconds = Int64(clamping: timestamp)
        self.pending = pending
    }

    private static func number(_ token: Substring) -> UInt64? {
        guard !token.isEmpty, token.utf8.count <= 20 else { return nil }
        var value: UInt64 = 0
        for byte in token.utf8 {
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
