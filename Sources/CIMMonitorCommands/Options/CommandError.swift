import ArgumentParser
import CommandSupport
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
