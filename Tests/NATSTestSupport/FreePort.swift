import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free TCP ports on the loopback interface, for servers started by tests.
///
/// Ports come from below the kernel's ephemeral range, never twice in one test process. A port the kernel picked
/// for `bind(0)` is itself ephemeral: between the probe and the server's own `bind`, an outgoing connection of
/// another test could take it as its source port, and a server in a parallel test could be handed it again.
/// Below the ephemeral range neither happens; a port that is busy (another test process) is skipped.
public enum FreePort {
    /// A port that was free a moment ago and that this process has not handed out before.
    public static func next() -> Int {
        let (fd, port) = bindLoopback()
        close(fd)
        return port
    }

    /// A socket listening on a free loopback port, which keeps that port busy until `release()`.
    public struct Occupied: Sendable {
        public let port: Int
        public let fd: Int32

        public func release() { close(fd) }
    }

    /// Occupies a free loopback port (to test what a server does when its port is taken).
    public static func occupy() -> Occupied {
        let (fd, port) = bindLoopback()
        precondition(listen(fd, 8) == 0, "cannot listen on a free loopback port")
        return Occupied(port: port, fd: fd)
    }

    /// The ports tests take from: the 12,000 below the ephemeral range (Linux: `ip_local_port_range`).
    static let range: Range<Int> = {
        let low = ephemeralLow() ?? 32768
        return max(1024, low - 12000)..<low
    }()

    /// The next candidate, as an offset into `range`; it starts at a place that depends on the process, so two
    /// test processes on one machine mostly take different ports.
    private static let cursor = Mutex(Int(getpid()) &* 7919)

    /// A socket bound to a port of `range` on 127.0.0.1 that was not handed out before, and that port.
    private static func bindLoopback() -> (fd: Int32, port: Int) {
        for _ in 0..<range.count {
            let port = cursor.withLock { offset in
                offset = (offset + 1) % range.count
                return range.lowerBound + offset
            }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            precondition(fd >= 0, "cannot create a socket to find a free port")
            var address = Loopback.address(port: port)
            let bound = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if bound == 0 { return (fd, port) }
            close(fd)
        }
        preconditionFailure("no free loopback port in \(range)")
    }

    /// The first port of the kernel's ephemeral range, where it is known.
    private static func ephemeralLow() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
            let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first,
            let low = Int(first), low > 13024
        else { return nil }
        return low
    }
}
