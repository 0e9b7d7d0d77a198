/// Why a backup or restore cannot go on: one line saying what was wrong and what to do.
public struct BackupError: Error, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
