import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Anything listening where a client connects: a loopback TCP listener that greets every connection with fixed bytes
/// (a hostile `INFO`, garbage, a truncated frame), then reads and discards until the client hangs up. For tests of
/// what the client does with bytes no real nats-server sends.
public final class ScriptedServer: Sendable {
    public let port: Int
    private let listener: FreePort.Occupied
    private let connections = Counter()

    /// Starts listening at once; every connection gets `greeting`, then (with `closeAfterGreeting`) is closed at once
    /// instead of being read until the client hangs up: a response cut short.
    public init(greeting: String, closeAfterGreeting: Bool = false) {
        listener = FreePort.occupy()
        port = listener.port
        let fd = listener.fd
        let bytes = Array(greeting.utf8)
        let connections = self.connections
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                connections.increment()
                Thread.detachNewThread {
                    _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if closeAfterGreeting {
                        close(client)
                        return
                    }
                    var sink = [UInt8](repeating: 0, count: 4096)
                    while recv(client, &sink, sink.count, 0) > 0 {}
                    close(client)
                }
            }
        }
    }

    /// `nats://127.0.0.1:<port>`
    public var url: String { "nats://127.0.0.1:\(port)" }

    /// Connections accepted so far.
    public var accepted: Int { connections.value }

    /// Stops accepting (open connections end when their clients hang up).
    public func stop() {
        shutdown(listener.fd, Int32(SHUT_RDWR))
        listener.release()
    }

    private final class Counter: Sendable {
        private let count = Mutex(0)
        func increment() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }
}
