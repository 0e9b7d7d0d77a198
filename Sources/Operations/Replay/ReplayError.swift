import CIMEvents

/// Why a replay cannot run: each says what was wrong and what to do, in one line.
public struct ReplayError: Error, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    static func sinceAfterUntil(_ since: Double, _ until: Double) -> ReplayError {
        ReplayError("--since (\(RFC3339.format(seconds: since))) is after --until (\(RFC3339.format(seconds: until))): swap them")
    }

    static func fromAfterTo(_ from: UInt64, _ to: UInt64) -> ReplayError {
        ReplayError("--from-seq \(from) is after --to-seq \(to): swap them")
    }

    static func emptyStream(_ stream: String) -> ReplayError {
        ReplayError("stream \(stream) holds no messages: nothing to replay")
    }

    static func emptyRange(_ stream: String, _ what: String) -> ReplayError {
        ReplayError("nothing in stream \(stream) \(what): widen the range (see `cim-monitor stream info \(stream)`)")
    }
}
