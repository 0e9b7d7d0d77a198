import NIOCore
import Synchronization

/// Polls servers through their HTTP monitoring endpoints (`--nats-monitor http://host:8222`, repeatable), for
/// clusters without system-account credentials.
public final class HTTPMonitoringSource: Sendable {
    /// A parsed `http://host:port` base URL.
    public struct Endpoint: Sendable, Hashable {
        public var url: String
        public var host: String
        public var port: Int
        public var basePath: String

        /// `nil` unless `url` is `http://host[:port][/path]` (the port defaults to 8222). Credentials in the URL are
        /// not accepted: they would show in errors and labels.
        public init?(_ url: String) {
            guard url.hasPrefix("http://") else { return nil }
            let rest = url.dropFirst("http://".count)
            let authority = rest.prefix { $0 != "/" }
            var path = String(rest.dropFirst(authority.count))
            while path.hasSuffix("/") { path.removeLast() }
            guard !authority.isEmpty, !authority.contains("@") else { return nil }
            var host = String(authority)
            var port = 8222
            if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
                guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65535).contains(parsed) else { return nil }
                port = parsed
                host = String(authority[..<colon])
            }
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
            self.url = url
            self.host = host
            self.port = port
            self.basePath = path
        }
    }

    public let endpoints: [Endpoint]
    public let client: MonitoringHTTPClient
    /// The server name each URL answered with last, to name it when it stops answering.
    private let names = Mutex<[String: String]>([:])

    public init(endpoints: [Endpoint], client: MonitoringHTTPClient = MonitoringHTTPClient()) {
        self.endpoints = endpoints
        self.client = client
    }

    public func poll(timeout: Double) async -> SourceResult {
        let results = await withTaskGroup(of: (Int, ServerSnapshot?, [(String, String)]).self) { group in
            for (index, endpoint) in endpoints.enumerated() {
                group.addTask {
                    let (snapshot, errors) = await self.pollServer(endpoint, timeout: timeout)
                    return (index, snapshot, errors)
                }
            }
            var all: [(Int, ServerSnapshot?, [(String, String)])] = []
            for await result in group { all.append(result) }
            return all.sorted { $0.0 < $1.0 }
        }
        var result = SourceResult()
        for (index, snapshot, errors) in results {
            let url = endpoints[index].url
            result.errors += errors.map { (reason: $0.0, message: $0.1) }
            if let snapshot {
                names.withLock { $0[url] = snapshot.identity.name }
                result.snapshots.append(snapshot)
            } else {
                result.unanswered.append(names.withLock { $0[url] } ?? url)
            }
        }
        return result
    }

    /// All endpoints of one server; the snapshot is `nil` when `/varz` (which says who the server is) failed.
    private func pollServer(_ endpoint: Endpoint, timeout: Double) async -> (ServerSnapshot?, [(String, String)]) {
        let documents = await withTaskGroup(of: (MonitoringEndpoint, Result<Document, MonitoringHTTPClient.Failure>).self) { group in
            for kind in MonitoringEndpoint.allCases {
                group.addTask { (kind, await self.fetch(endpoint, kind, timeout: timeout)) }
            }
            var all: [MonitoringEndpoint: Result<Document, MonitoringHTTPClient.Failure>] = [:]
            for await (kind, result) in group { all[kind] = result }
            return all
        }
        var errors: [(String, String)] = []
        for kind in MonitoringEndpoint.allCases {
            if case .failure(let failure) = documents[kind] { errors.append((failure.reason, "\(endpoint.url)\(kind.path): \(failure.message)")) }
        }
        guard case .success(.tree(let varz)) = documents[.varz], let identity = ServerIdentity(varz: varz) else {
            if case .success = documents[.varz] { errors.append(("invalid_json", "\(endpoint.url)/varz has no server_id")) }
            return (nil, errors)
        }
        var snapshot = ServerSnapshot(identity: identity)
        snapshot.varz = varz
        if case .success(.jetStream(let jsz)) = documents[.jsz] { snapshot.jetStream = jsz }
        if case .success(.tree(let connz)) = documents[.connz] { snapshot.connz = connz }
        if case .success(.tree(let routez)) = documents[.routez] { snapshot.routez = routez }
        if case .success(.tree(let subsz)) = documents[.subsz] { snapshot.subsz = subsz }
        if case .success(.tree(let healthz)) = documents[.healthz] { snapshot.healthStatus = healthz["status"]?.string }
        return (snapshot, errors)
    }

    /// A parsed document: `/jsz` (megabytes with every consumer) read straight into its report, the others as trees.
    private enum Document: Sendable {
        case tree(JSONValue)
        case jetStream(JetStreamReport?)
    }

    private func fetch(_ endpoint: Endpoint, _ kind: MonitoringEndpoint, timeout: Double) async -> Result<Document, MonitoringHTTPClient.Failure> {
        do {
            let response = try await client.get(host: endpoint.host, port: endpoint.port, path: endpoint.basePath + kind.path, timeout: timeout)
            // /healthz answers 503 with a JSON status when unhealthy: that is a report, not a failed poll.
            guard response.status == 200 || (kind == .healthz && response.status == 503) else {
                return .failure(.init(reason: "http_status", message: "answered HTTP \(response.status)"))
            }
            do {
                let body = response.body.readableBytesView
                return .success(kind == .jsz ? .jetStream(try JetStreamReport.read(body)) : .tree(try JSONParser.parse(body)))
            } catch {
                return .failure(.init(reason: "invalid_json", message: "\(error)"))
            }
        } catch {
            return .failure(error)
        }
    }
}
