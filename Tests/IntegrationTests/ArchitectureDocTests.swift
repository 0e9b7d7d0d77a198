import Foundation
import NATS
import NATSTestSupport
import NIOCore
import Testing

/// `docs/ARCHITECTURE.md` is the contract dashboards and alerts rely on: every family a live `serve` exposes is
/// listed there, and every family listed there is exposed.
@Suite(.timeLimit(.minutes(2)))
struct ArchitectureDocTests {
    /// The family names in the first column of the tables under "## Metric families".
    static func documentedFamilies(section heading: String = "Metric families", filePath: String = #filePath) throws -> Set<String> {
        let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        guard let start = text.range(of: "\n## \(heading)\n") else { return [] }
        let section = text[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        var names = Set<String>()
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let firstCell = line.dropFirst().split(separator: "|").first ?? ""
            for piece in firstCell.split(separator: "`", omittingEmptySubsequences: false).enumerated() where piece.offset % 2 == 1 {
                names.insert(String(piece.element))
            }
        }
        return names
    }

    @Test func everyExposedFamilyIsDocumentedAndEveryDocumentedFamilyIsExposed() async throws {
        let documented = try Self.documentedFamilies()
        #expect(documented.count > 20, "\(documented)")
        let server = try NATSServer()
        try server.start()
        defer { server.stop() }
        try await BootOrderTests.publishEvents(to: server, count: 50)
        let monitor = try MonitorProcess(arguments: ["serve", "--server", server.url, "--instance", "doc", "--stream", BootOrderTests.stream])
        defer { monitor.shutdown() }
        try monitor.start()
        try await monitor.waitUntilServing()
        var text = ""
        for _ in 0..<100 {
            if (try? await httpGet(port: monitor.port, path: "/readyz", timeout: 1))?.status == 200 {
                text = String(decoding: try await httpGet(port: monitor.port, path: "/metrics", timeout: 5).body, as: UTF8.self)
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let exposed = Set(
            text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.compactMap { $0.split(separator: " ").dropFirst(2).first.map(String.init) }
        )
        #expect(!exposed.isEmpty, "serve did not become ready: \(monitor.stderr.suffix(500))")
        #expect(exposed.subtracting(documented).isEmpty, "exposed but not in docs/ARCHITECTURE.md: \(exposed.subtracting(documented).sorted())")
        #expect(documented.subtracting(exposed).isEmpty, "documented but never exposed: \(documented.subtracting(exposed).sorted())")
    }

    /// The NATS health section: `serve` with a health source exposes exactly the documented `cim_nats_*` families, every
    /// documented exporter family, and no `nats_*` family that the section does not name or match with a `prefix_*`.
    @Test func everyHealthFamilyIsDocumentedAndEveryDocumentedOneIsExposed() async throws {
        let documented = try Self.documentedFamilies(section: "NATS health")
        let patterns = documented.filter { $0.hasSuffix("*") }.map { String($0.dropLast()) }
        let names = documented.filter { !$0.hasSuffix("*") }
        #expect(names.count > 50, "\(documented.count)")
        let server = try NATSServer()
        try server.start()
        defer { server.stop() }
        // A stream with a message delivered and acknowledged, so every stream and consumer family has a sample.
        let client = try await server.connectedClient()
        let js = JetStream(client: client)
        try await js.createStream(StreamConfig(name: "ORDERS", subjects: ["orders.>"]))
        _ = try await js.createConsumer(stream: "ORDERS", config: ConsumerConfig(durableName: "worker"))
        try await js.publish(ByteBuffer(string: "one"), to: "orders.new")
        for message in try await js.pullConsumer(stream: "ORDERS", name: "worker").fetch(batch: 1, expires: 2) { try await message.ack() }
        await client.close()
        let monitor = try MonitorProcess(
            arguments: ["serve", "--server", server.url, "--instance", "doc", "--nats-monitor", server.monitorURL, "--health-interval", "0.2s"]
        )
        defer { monitor.shutdown() }
        try monitor.start()
        try await monitor.waitUntilServing()
        var exposed = Set<String>()
        for _ in 0..<100 {
            let text = String(decoding: try await httpGet(port: monitor.port, path: "/metrics", timeout: 5).body, as: UTF8.self)
            exposed = Set(
                text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.compactMap {
                    $0.split(separator: " ").dropFirst(2).first.map(String.init)
                }
            )
            if exposed.contains("nats_consumer_last_ack_seconds") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let health = exposed.filter { $0.hasPrefix("nats_") || $0.hasPrefix("cim_nats_") }
        let undocumented = health.filter { name in !names.contains(name) && !patterns.contains { name.hasPrefix($0) } }
        #expect(undocumented.isEmpty, "exposed but not in the NATS health section: \(undocumented.sorted())")
        #expect(names.subtracting(health).isEmpty, "documented but never exposed: \(names.subtracting(health).sorted())")
    }
}
