#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free TCP ports on the loopback interface, for servers started by tests.
public enum FreePort {
    /// A port that was free a moment ago: the kernel picks it for a socket bound to port 0.
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

    /// A socket bound to a port the kernel picked on 127.0.0.1, and that port.
    private static func bindLoopback() -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "cannot create a socket to find a free port")
        var address = Loopback.address(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        precondition(bound == 0, "cannot bind a socket to find a free port")
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
