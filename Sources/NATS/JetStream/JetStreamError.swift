/// An error from the JetStream API, keeping the server's `err_code`.
///
/// Equality compares the error code (`errCode`), so callers can match `JetStreamError.streamNotFound`.
public struct JetStreamError: Error, Hashable, Sendable, CustomStringConvertible {
    /// HTTP-like status (404, 400, 503, …).
    public let status: Int
    /// The server's stable error code (10059 stream not found, …).
    public let errCode: Int
    public let message: String

    public init(status: Int, errCode: Int, message: String) {
        self.status = status
        self.errCode = errCode
        self.message = message
    }

    public var description: String { "\(message) (JetStream error \(errCode), status \(status))" }

    public static func == (lhs: JetStreamError, rhs: JetStreamError) -> Bool { lhs.errCode == rhs.errCode }
    public func hash(into hasher: inout Hasher) { hasher.combine(errCode) }

    public static let streamNotFound = JetStreamError(status: 404, errCode: 10059, message: "stream not found")
    public static let consumerNotFound = JetStreamError(status: 404, errCode: 10014, message: "consumer not found")
    public static let noMessageFound = JetStreamError(status: 404, errCode: 10037, message: "no message found")
    public static let wrongLastSequence = JetStreamError(status: 400, errCode: 10071, message: "wrong last sequence")
    public static let wrongLastMessageID = JetStreamError(status: 400, errCode: 10070, message: "wrong last msg ID")
    public static let streamNameInUse = JetStreamError(status: 400, errCode: 10058, message: "stream name already in use")
    public static let consumerExists = JetStreamError(status: 400, errCode: 10148, message: "consumer already exists")
    public static let notEnabled = JetStreamError(status: 503, errCode: 10076, message: "JetStream not enabled")
    public static let notEnabledForAccount = JetStreamError(status: 503, errCode: 10039, message: "JetStream not enabled for account")
    /// No JetStream answered at all (no responders).
    public static let unavailable = JetStreamError(status: 503, errCode: -1, message: "JetStream is not available on this server or account")
    /// The stream was deleted and created again (its `created` time changed) under a consumer that expected the
    /// old one: its sequences start over, so reading on at the old position would skip the new messages.
    public static let streamRecreated = JetStreamError(status: 409, errCode: -4, message: "the stream was recreated")
    /// A KV update whose expected revision is stale.
    public static let revisionConflict = JetStreamError(status: 400, errCode: 10071, message: "wrong last sequence")
    /// A reply could not be understood.
    public static func badResponse(_ why: String) -> JetStreamError { JetStreamError(status: 500, errCode: -2, message: why) }
}
