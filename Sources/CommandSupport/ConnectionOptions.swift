import ArgumentParser
import Foundation
import NATS
import NATSCore

/// The NATS connection flags every command shares. Flags win over the environment (`NATS_URL`).
public struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("server"), help: "NATS server URL (repeatable): nats://host:port, tls://host:port, nats://user:pass@host:port.")
    public var servers: [String] = []

    @Option(help: "User name for user/password authentication.")
    public var user: String?

    @Option(help: "Password for user/password authentication.")
    public var password: String?

    @Option(help: "Authentication token.")
    public var token: String?

    @Option(help: ArgumentHelp("File holding an NKEY seed (SU…).", valueName: "file"))
    public var nkey: String?

    @Option(help: ArgumentHelp("A .creds file (user JWT and NKEY seed).", valueName: "file"))
    public var creds: String?

    @Option(name: .customLong("tls-ca"), help: ArgumentHelp("PEM file of the CA that signed the server certificate.", valueName: "file"))
    public var tlsCA: String?

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("PEM file of a client certificate.", valueName: "file"))
    public var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM file of the client certificate's key.", valueName: "file"))
    public var tlsKey: String?

    @Option(name: .customLong("connection-name"), help: "Name shown in the server's connection list.")
    public var connectionName: String = "cim-monitor"

    public init() {}

    public func validate() throws {
        let methods = [user != nil || password != nil, token != nil, nkey != nil, creds != nil].filter { $0 }.count
        if methods > 1 { throw ValidationError("choose one of --user/--password, --token, --nkey or --creds") }
        if password != nil && user == nil { throw ValidationError("--password needs --user") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    /// Client options from the flags, then `NATS_URL`, then `nats://127.0.0.1:4222`.
    public func natsOptions() throws -> NATSOptions {
        var urls = servers
        if urls.isEmpty, let environment = ProcessInfo.processInfo.environment["NATS_URL"], !environment.isEmpty {
            urls = environment.split(separator: ",").map { String($0) }
        }
        if urls.isEmpty { urls = ["nats://127.0.0.1:4222"] }
        var options = try NATSOptions(urls: urls)
        options.name = connectionName
        if let user { options.auth = .userPassword(user: user, password: password ?? "") }
        if let token { options.auth = .token(token) }
        if let nkey { options.auth = .nkey(seed: try Self.read(nkey, what: "NKEY seed").trimmingCharacters(in: .whitespacesAndNewlines)) }
        if let creds { options.auth = .credentials(try Self.read(creds, what: "credentials")) }
        if tlsCA != nil || tlsCert != nil {
            options.tls = NATSTLSOptions(caFile: tlsCA, certificateFile: tlsCert, keyFile: tlsKey)
        }
        return options
    }

    /// A connected client.
    public func connect() async throws -> NATSClient {
        let client = try NATSClient(options: natsOptions())
        try await client.connect()
        return client
    }

    private static func read(_ path: String, what: String) throws -> String {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the \(what) file \(path)")
        }
        return String(decoding: contents, as: UTF8.self)
    }
}
