/// A `host:port` to serve HTTP on; the port is 0–65535 (0: any free port).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (`[::1]:9091` for IPv6); the error says what is wrong, without naming where the text came from.
    public init(parsing text: String) throws(ConfigurationError) {
        guard let colon = text.lastIndex(of: ":") else { throw ConfigurationError("is not host:port") }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ConfigurationError("has no host (use 0.0.0.0:port for every interface)") }
        guard !portText.isEmpty, portText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let port = Int(portText)
        else { throw ConfigurationError("is not host:port with a numeric port") }
        guard port <= 65535 else { throw ConfigurationError("has port \(port); the port must be 0 to 65535") }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
