import NIOCore
import Testing

@testable import NATSCore

@Suite struct NATSHeaderBlockTests {
    /// The fields of `block` as (name, value) texts, and the status code; the error when the block is malformed.
    private func scan(_ block: String) -> Result<(code: Int?, description: String, fields: [(String, String)]), NATSError> {
        let bytes = Array(block.utf8)
        return bytes.withUnsafeBytes { raw in
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: raw[range]), as: UTF8.self) }
            var fields: [(String, String)] = []
            return NATSHeaderBlock.scan(raw) { fields.append((text($0.name), text($0.value))) }.map { ($0.code, text($0.description), fields) }
        }
    }

    @Test func findsTrimmedNamesAndValuesInOrder() throws {
        let scanned = try scan("NATS/1.0\r\nNats-Msg-Id:  a-1 \r\n\tX-B :\tv : w\r\nX-Empty:\r\nNats-Msg-Id: a-2\r\n\r\n").get()
        #expect(scanned.code == nil)
        #expect(scanned.fields.map(\.0) == ["Nats-Msg-Id", "X-B", "X-Empty", "Nats-Msg-Id"])
        #expect(scanned.fields.map(\.1) == ["a-1", "v : w", "", "a-2"])
    }

    @Test func readsTheStatusLine() throws {
        let heartbeat = try scan("NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 7\r\n\r\n").get()
        #expect(heartbeat.code == 100 && heartbeat.description == "Idle Heartbeat" && heartbeat.fields.count == 1)
        let bare = try scan("NATS/1.0 404\r\n\r\n").get()
        #expect(bare.code == 404 && bare.description.isEmpty && bare.fields.isEmpty)
    }

    @Test(
        "refuses what NATSHeaders(parsing:) refuses, with the same error",
        arguments: [
            "", "N", "NATS/1.0", "NATS/1.0\r\nA: b", "HTTP/1.1\r\n\r\n", "NATS/1.\r\n\r\n", "NATS/1.0 99\r\n\r\n", "NATS/1.0 1000\r\n\r\n",
            "NATS/1.0 099\r\n\r\n", "NATS/1.0 x\r\n\r\n", "NATS/1.0 99999999999999999999999\r\n\r\n", "NATS/1.0\r\nno colon\r\n\r\n",
            "NATS/1.0\r\n : empty name\r\n\r\n", "NATS/1.0\r\nA: b\r\n\r",
        ]
    )
    func refusesMalformedBlocks(_ block: String) {
        guard case .failure(let refused) = scan(block) else {
            Issue.record("accepted \(block.debugDescription)")
            return
        }
        #expect(refused.code == .invalidHeader)
        do {
            _ = try NATSHeaders(parsing: ByteBuffer(string: block))
            Issue.record("NATSHeaders parsed \(block.debugDescription)")
        } catch {
            #expect(error.description == refused.description)
        }
    }

    @Test func headersParsedFromBytesKeepNamesValuesAndStatus() throws {
        let headers = try NATSHeaders(parsing: ByteBuffer(string: "NATS/1.0 408 Request Timeout\r\nA: 1\r\nb:2\r\nA:  3\r\n\r\n"))
        #expect(headers.status == 408 && headers.statusDescription == "Request Timeout")
        #expect(Array(headers).map(\.name) == ["A", "b", "A"])
        #expect(headers.values("a") == ["1", "3"])
        #expect(try NATSHeaders(parsing: ByteBuffer(string: "NATS/1.0 503\r\n\r\n")).statusDescription == nil)
        // Bytes that are not UTF-8 are repaired in the strings, not refused.
        var block = ByteBuffer(string: "NATS/1.0\r\nX: ")
        block.writeBytes([0xFF, 0x41])
        block.writeString("\r\n\r\n")
        #expect(try NATSHeaders(parsing: block)["X"] == "\u{FFFD}A")
    }
}
