import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One HTTP response, exactly as it came over the wire (no decompression), for tests of HTTP endpoints.
public struct HTTPReply: Sendable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A failed HTTP exchange.
public struct HTTPGetError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A minimal HTTP/1.1 GET over a plain socket to `127.0.0.1`.
///
/// Unlike URLSession it leaves the body as sent (a gzip body stays gzip) and it needs nothing but the socket API.
/// The blocking socket work runs off the Swift concurrency pool.
public func httpGet(port: Int, path: String, headers: [(String, String)] = [], timeout: Double = 5) async throws -> HTTPReply {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try blockingGet(port: port, path: path, headers: headers, timeout: timeout) })
        }
    }
}

private func blockingGet(port: Int, path: String, headers: [(String, String)], timeout: Double) throws -> HTTPReply {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HTTPGetError(message: "cannot create a socket") }
    defer { close(fd) }
    var time = timeval(tv_sec: Int(timeout), tv_usec: .init((timeout - timeout.rounded(.down)) * 1_000_000))
    _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    guard Loopback.connect(fd, port: port) else { throw HTTPGetError(message: "cannot connect to 127.0.0.1:\(port)") }
    var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (name, value) in headers { request += "\(name): \(value)\r\n" }
    request += "\r\n"
    let bytes = Array(request.utf8)
    var sent = 0
    while sent < bytes.count {
        let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw HTTPGetError(message: "cannot send the request to 127.0.0.1:\(port)") }
        sent += count
    }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        if let reply = try parseReply(received, complete: false) { return reply }
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count == 0 { break }
        guard count > 0 else { throw HTTPGetError(message: "no complete response from 127.0.0.1:\(port)\(path) within \(timeout)s") }
        received += buffer[0..<count]
    }
    guard let reply = try parseReply(received, complete: true) else {
        throw HTTPGetError(message: "incomplete response from 127.0.0.1:\(port)\(path)")
    }
    return reply
}

/// The reply once `data` holds all of it (by Content-Length, chunked framing, or the end of the connection).
private func parseReply(_ data: [UInt8], complete: Bool) throws -> HTTPReply? {
    let separator: [UInt8] = Array("\r\n\r\n".utf8)
    guard let headerEnd = data.firstRange(of: separator) else { return nil }
    let lines = String(decoding: data[..<headerEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
    let statusParts = lines[0].split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw HTTPGetError(message: "bad status line: \(lines[0])") }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let rest = Array(data[headerEnd.upperBound...])
    if let length = headers["content-length"].flatMap(Int.init) {
        guard rest.count >= length else { return complete ? HTTPReply(status: status, headers: headers, body: rest) : nil }
        return HTTPReply(status: status, headers: headers, body: Array(rest[..<length]))
    }
    if headers["transfer-encoding"]?.lowercased() == "chunked" {
        var body: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = rest[index...].firstRange(of: Array("\r\n".utf8)) else { return nil }
            let sizeText = String(decoding: rest[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw HTTPGetError(message: "bad chunk size: \(sizeText)")
            }
            let start = lineEnd.upperBound
            if size == 0 { return HTTPReply(status: status, headers: headers, body: body) }
            guard rest.count >= start + size + 2 else { return nil }
            body += rest[start..<start + size]
            index = start + size + 2
        }
    }
    return complete ? HTTPReply(status: status, headers: headers, body: rest) : nil
}
