/// The client's `CONNECT` options.
public struct ConnectRequest: Encodable, Sendable {
    public var verbose = false
    public var pedantic = false
    public var tlsRequired = false
    public var name: String?
    public var lang = "swift"
    public var version = "0.1.0"
    public var proto = 1
    public var echo = true
    public var headers = true
    public var noResponders = true
    public var user: String?
    public var pass: String?
    public var authToken: String?
    public var nkey: String?
    public var jwt: String?
    public var sig: String?

    enum CodingKeys: String, CodingKey {
        case verbose, pedantic
        case tlsRequired = "tls_required"
        case name, lang, version
        case proto = "protocol"
        case echo, headers
        case noResponders = "no_responders"
        case user, pass
        case authToken = "auth_token"
        case nkey, jwt, sig
    }

    public init() {}
}
