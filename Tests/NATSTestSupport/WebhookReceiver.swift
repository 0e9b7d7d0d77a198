import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback HTTP listener that answers every request 200 and keeps each POST: the path and the body. Alertmanager's
/// webhook receivers point at it, so a test sees which notifications reached which receiver.
public final class WebhookReceiver: Sendable {
    /// One request as it arrived.
    public struct Delivery: Sendable {
        public var path: String
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public let port: Int
    private let listener: FreePort.Occupied
    private let received = Mutex<[Delivery]>([])

    /// Starts listening at once.
    public init() {
        listener = FreePort.occupy()
        port = listener.port
        let fd = listener.fd
        let sink = Sink(receiver: self)
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                Thread.detachNewThread { sink.serve(client) }
            }
        }
    }

    /// `http://127.0.0.1:<port><path>`
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Everything received so far, in order.
    public var deliveries: [Delivery] { received.withLock { $0 } }

    /// Stops accepting.
    public func stop() {
        shutdown(listener.fd, Int32(SHUT_RDWR))
        listener.release()
    }

    fileprivate func record(_ delivery: Delivery) { received.withLock { $0.append(delivery) } }

    /// Reads one request from a connection, records it, answers 200 and closes.
    private struct Sink: Sendable {
        let receiver: WebhookReceiver

        func serve(_ client: Int32) {
            defer { close(client) }
            var time = timeval(tv_sec: 5, tv_usec: 0)
            _ = setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            let separator = Array("\r\n\r\n".utf8)
            while true {
                if let end = data.firstRange(of: separator) {
                    let head = String(decoding: data[..<end.lowerBound], as: UTF8.self)
                    let lines = head.components(separatedBy: "\r\n")
                    let length =
                        lines.dropFirst().compactMap { line -> Int? in
                            let parts = line.split(separator: ":", maxSplits: 1)
                            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                            return Int(parts[1].trimmingCharacters(in: .whitespaces))
                        }.first ?? 0
                    if data.count - end.upperBound >= length {
                        let path = lines[0].split(separator: " ").dropFirst().first.map(String.init) ?? ""
                        receiver.record(Delivery(path: path, body: Array(data[end.upperBound..<end.upperBound + length])))
                        let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
                        _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                        return
                    }
                }
                let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return }
                data += buffer[0..<count]
            }
        }
    }
}
