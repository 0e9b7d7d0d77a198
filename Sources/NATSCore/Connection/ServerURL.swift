import Foundation

/// A server address: `nats://[user:pass@]host[:port]`, `tls://…`, or `host[:port]`.
///
/// Its description never shows the password or token.
public struct ServerURL: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// `true` for `tls://` URLs: TLS is required for this server.
    public var tls: Bool
    public var user: String?
    public var password: String?

    public init(host: String, port: Int = 4222, tls: Bool = false, user: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
        self.user = user
        self.password = password
    }

    /// Parses a URL; throws `invalidURL` with a message that says what is wrong.
    public init(_ text: String) throws(NATSError) {
        var rest = Substring(text.trimmingCharacters(in: " \t"))
        var tls = false
        if let range = rest.range(of: "://") {
            let scheme = rest[..<range.lowerBound].lowercased()
            switch scheme {
            case "nats": tls = false
            case "tls": tls = true
            default:
                throw NATSError(.invalidURL, "unsupported scheme \(scheme.debugDescription) in a server URL; use nats:// or tls://")
            }
            rest = rest[range.upperBound...]
            if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        } else if rest.contains("/") {
            throw NATSError(.invalidURL, "\(Self.redacted(text).debugDescription) is not a server URL; write nats://host:port or tls://host:port")
        }
        var user: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = Self.percentDecoded(userInfo[..<colon])
                password = Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            } else {
                user = Self.percentDecoded(userInfo)
            }
        }
        var host = rest
        var port = 4222
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw NATSError(.invalidURL, "unterminated IPv6 address in a server URL") }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()), (1...65535).contains(value) else {
                    throw NATSError(.invalidURL, "bad port in a server URL")
                }
                port = value
            }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]), (1...65535).contains(value) else {
                throw NATSError(.invalidURL, "bad port in server URL for host \(String(host[..<colon]).debugDescription); use host:port")
            }
            port = value
            host = host[..<colon]
        }
        guard !host.isEmpty else { throw NATSError(.invalidURL, "a server URL has no host; use nats://host:port") }
        guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._:%".contains($0)) }) else {
            throw NATSError(.invalidURL, "bad host name \(String(host.prefix(64)).debugDescription) in a server URL; use nats://host:port")
        }
        self.init(host: String(host), port: port, tls: tls, user: user, password: password)
    }

    /// A user name without a password is a token (`nats://TOKEN@host`), as nats.go reads it.
    public var token: String? { password == nil ? user : nil }

    /// `nats://host:port` (or `tls://`), with the user but never the password or a token.
    public var description: String {
        let scheme = tls ? "tls" : "nats"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let credentials = user.map { password == nil ? "***@" : "\($0):***@" } ?? ""
        return "\(scheme)://\(credentials)\(shownHost):\(port)"
    }

    /// A URL text as given, with what stands before an `@` hidden (it may hold a password or a token).
    public static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        let start = text.range(of: "://")?.upperBound ?? text.startIndex
        guard start <= at else { return text }
        return String(text[..<start]) + "***" + String(text[at...])
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes = [UInt8]()
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        return String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}
