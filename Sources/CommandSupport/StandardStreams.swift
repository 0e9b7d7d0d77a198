#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one line to stderr.
public func printError(_ line: String) {
    writeOutput(Array((line + "\n").utf8), to: STDERR_FILENO)
}

/// Writes bytes to stdout (or another descriptor); a closed pipe ends the program quietly instead of crashing it.
public func writeOutput(_ bytes: [UInt8], to descriptor: Int32 = STDOUT_FILENO) {
    bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                exit(0)
            }
            offset += written
        }
    }
}
