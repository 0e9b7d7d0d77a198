import CIMEvents
import EventMetrics
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import MonitorServer

/// A metrics source kept in memory: a real fold of a few mapped CIM events, and a readiness answer the test sets.
struct FoldSource: MetricsSource {
    var fold: MetricsFold
    var notReady: String?

    init(notReady: String? = nil) {
        var mapper = EventMapper()
        var fold = MetricsFold()
        for (sequence, subject) in ["cim.graph.events.structure.node_added", "cim.orders.events.order.order_placed"].enumerated() {
            let payload = Array(#"{"event_id":"e\#(sequence)","occurred_at":"2024-01-01T00:00:00Z"}"#.utf8)
            fold.fold(mapper.map(subject: subject, headers: [], payload: payload), storedAt: nil, sequence: UInt64(sequence + 1))
        }
        self.fold = fold
        self.notReady = notReady
    }

    func families() -> [MetricFamily] { fold.families() }
    func notReadyReason() -> String? { notReady }
}

/// Bcrypt hashes made once per test process (cost 4 is the cheapest bcrypt accepts).
enum Hashes {
    static let password = "correct horse battery staple"
    static let cheap = Bcrypt.hash(password, cost: 4)
    /// Costly enough (about 50 ms) that a blocked thread or a skipped check shows in timings.
    static let costly = Bcrypt.hash(password, cost: 10)
    /// The usual cost (about 0.2 s a check).
    static let standard = Bcrypt.hash(password, cost: 12)
}

/// An `Authorization: Basic` field for raw credential bytes (which may hold a NUL).
func basic(_ credentials: [UInt8]) -> HTTPFields {
    [.authorization: "Basic " + Data(credentials).base64EncodedString()]
}

func basic(_ user: String, _ password: String) -> HTTPFields {
    basic(Array("\(user):\(password)".utf8))
}

/// Seconds `body` takes.
func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// The monitor's router in an application that HummingbirdTesting can drive in process.
func application(_ http: MonitorHTTP) -> some ApplicationProtocol {
    Application(router: http.router())
}
