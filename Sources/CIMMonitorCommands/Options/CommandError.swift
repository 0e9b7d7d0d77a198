import ArgumentParser
import Foundation
import NATSCore
import Operations

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command body and turns failures into one line on stderr and a non-zero exit.
func reportingErrors(_ body: () async throws -> Void) async throws {
    signal(SIGPIPE, SIG_IGN)
    do {
        try await body()
    } catch let error as NATSError {
        printError("error: \(error)")
        throw ExitCode(1)
    } catch let error as NATSAuthError {
        printError("error: \(error)")
        throw ExitCode(1)
    } catch let error as ReplayError {
        printError("error: \(error)")
        throw ExitCode(1)
    } catch let error as BackupError {
        printError("error: \(error)")
        throw ExitCode(1)
    }
}

/// Writes one line to stderr.
func printError(_ line: String) {
    writeOutput(Array((line + "\n").utf8), to: STDERR_FILENO)
}

/// Writes bytes to stdout (or another descriptor); a closed pipe ends the program quietly instead of crashing it.
func writeOutput(_ bytes: [UInt8], to descriptor: Int32 = STDOUT_FILENO) {
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
