// libFuzzer harness for the NATS protocol parser. Compiled by `scripts/fuzz` together with the NATSCore protocol
// sources (`swiftc -sanitize=fuzzer,address -parse-as-library`), linked against NIOCore built by SwiftPM.
//
// The input is the byte stream a server sends. It is parsed twice, once whole and once fed in random chunks (their
// sizes drawn from a generator seeded by a hash of the input, so every input reproduces), and checked:
// - nothing crashes (traps, sanitizer reports, out-of-memory, hangs);
// - both parses give the same operations, the same error (by code) if any, and leave the same unconsumed tail;
// - every message's header block parses or fails the same way, and headers that `validate()` survive a round trip
//   through `write(to:)` (unless their status is outside 100...999); reply subjects go through `AckMetadata(replySubject:)`;
// - every `INFO` goes through the handshake path as the client takes it: the handshake machine (with and without TLS
//   required), the parser limit the channel handler derives from `max_payload` (in checked arithmetic, so an INFO
//   that passed `validate()` but overflows traps here), the `CONNECT` it answers with, and the cluster's
//   `connect_urls` into the reconnect pool, whose servers must then all have a port in 1...65535.
import NIOCore

@_cdecl("LLVMFuzzerTestOneInput")
public func protocolParserFuzzTest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    var random = SplitMix64(seed: fnv1a(input))
    // Mostly the defaults; sometimes small limits, so that the limit checks are reached too.
    let small = random.next() % 4 == 0
    let parser = small ? NATSProtocolParser(maxControlLine: 64, maxPayload: 256) : NATSProtocolParser()

    let whole = parse(input, parser: parser, chunks: [input.count])
    var chunks: [Int] = []
    var left = input.count
    let byteAtATime = random.next() % 8 == 0
    while left > 0 {
        let maximum = byteAtATime ? 1 : (random.next() % 2 == 0 ? 4 : 64)
        let size = min(left, Int(random.next() % UInt64(maximum)) + 1)
        chunks.append(size)
        left -= size
    }
    let chunked = parse(input, parser: parser, chunks: chunks)
    if whole != chunked {
        let index = zip(whole.ops, chunked.ops).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(whole.ops.count, chunked.ops.count)
        fatalError(
            "parsing in \(chunks.count) chunks differs from parsing at once from operation \(index) on: "
                + "at once \(whole.summary(from: index)); in chunks \(chunked.summary(from: index))"
        )
    }
    return 0
}

/// What a parse produced, in comparable form.
private struct ParseResult: Equatable {
    var ops: [Op] = []
    var error: NATSError?
    var tail: [UInt8] = []

    /// The operations from `index` on (a few), the error and the tail, on one line.
    func summary(from index: Int) -> String {
        let shown = ops.dropFirst(index).prefix(3).map(\.description).joined(separator: ", ")
        return "[\(shown)] of \(ops.count) ops, error: \(error.map { "\($0.code)" } ?? "none"), tail: \(tail.count) bytes"
    }
}

private enum Op: Equatable, CustomStringConvertible {
    case info(ServerInfo)
    case message(subject: String, sid: UInt64, replyTo: String?, headerBlock: [UInt8]?, headers: ParsedHeaders?, payload: [UInt8])
    case ping, pong, ok
    case error(String)

    var description: String {
        switch self {
        case .info(let info): "INFO \(info.serverID)"
        case .message(let subject, let sid, let replyTo, let block, _, let payload):
            "MSG \(subject.debugDescription) \(sid) \(replyTo?.debugDescription ?? "-") \(block?.count ?? -1) \(payload.count)"
        case .ping: "PING"
        case .pong: "PONG"
        case .ok: "+OK"
        case .error(let text): "-ERR \(text.debugDescription)"
        }
    }
}

private enum ParsedHeaders: Equatable {
    case headers(NATSHeaders)
    case failed(NATSError)
}

/// Feeds `input` to a fresh parser in chunks of the given sizes, parsing all it can after each chunk.
private func parse(_ input: UnsafeRawBufferPointer, parser: NATSProtocolParser, chunks: [Int]) -> ParseResult {
    var parser = parser
    var buffer = ByteBuffer()
    var result = ParseResult()
    var offset = 0
    for size in chunks {
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: input[offset..<(offset + size)]))
        offset += size
        do {
            while let op = try parser.next(from: &buffer) { result.ops.append(describe(op)) }
        } catch {
            result.error = error
            return result
        }
    }
    result.tail = Array(buffer.readableBytesView)
    return result
}

private func describe(_ op: ServerOp) -> Op {
    switch op {
    case .info(let info):
        handshake(info)
        return .info(info)
    case .ping: return .ping
    case .pong: return .pong
    case .ok: return .ok
    case .error(let text): return .error(text)
    case .message(let message):
        if let reply = message.replyTo { _ = AckMetadata(replySubject: reply) }
        _ = AckMetadata(replySubject: message.subject)
        return .message(
            subject: message.subject,
            sid: message.sid,
            replyTo: message.replyTo,
            headerBlock: message.headerBlock.map { Array($0.readableBytesView) },
            headers: message.headerBlock.map(parseHeaders),
            payload: Array(message.payload.readableBytesView)
        )
    }
}

/// The client's handshake with this `INFO`, as the channel handler and the reconnect logic run it.
private func handshake(_ info: ServerInfo) {
    for requireTLS in [false, true] {
        var machine = HandshakeStateMachine(clientRequiresTLS: requireTLS)
        var action = machine.infoReceived(info)
        if action == .startTLS { action = machine.tlsEstablished() }
        if case .sendConnect = action { _ = machine.pongReceived() }
    }
    var limited = NATSProtocolParser()
    limited.maxPayload = max(info.maxPayload + 4096, 1 << 20)
    var request = ConnectRequest()
    request.headers = info.headers ?? false
    request.tlsRequired = info.tlsRequired ?? false
    _ = request.json()
    var pool = ReconnectStateMachine(servers: [ServerURL(host: "127.0.0.1")])
    pool.serversDiscovered(info.connectURLs ?? [], tls: info.tlsRequired ?? false)
    for server in pool.servers where !(1...65535).contains(server.port) || server.host.isEmpty {
        fatalError("connect_urls gave an unusable server \(server)")
    }
    _ = pool.connectionLost(jitter: 0.5)
}

private func parseHeaders(_ block: ByteBuffer) -> ParsedHeaders {
    let headers: NATSHeaders
    do {
        headers = try NATSHeaders(parsing: block)
    } catch {
        return .failed(error)
    }
    // A status is parsed from exactly three digits, so only 100...999 can be written back as it was read
    // (`NATS/1.0 034` reads as 34, which writes as `NATS/1.0 34`).
    let statusWritable = headers.status.map { (100...999).contains($0) } ?? true
    if statusWritable, (try? headers.validate()) != nil {
        var written = ByteBuffer()
        headers.write(to: &written)
        let reparsed = try? NATSHeaders(parsing: written)
        if reparsed != headers {
            fatalError(
                "valid headers do not survive a round trip: \(String(buffer: block).debugDescription) → \(String(buffer: written).debugDescription)"
            )
        }
    }
    return .headers(headers)
}

/// FNV-1a over the input: the seed of the chunk sizes.
private func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    return hash
}

private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
