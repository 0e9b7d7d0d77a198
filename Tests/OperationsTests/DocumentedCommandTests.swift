import ArgumentParser
import CIMMonitorCommands
import Foundation
import Testing

/// Every `cim-monitor …` command in the runbooks and the operations guide parses against the real command line,
/// so the docs cannot drift from the tool.
@Suite struct DocumentedCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var documents: [URL] {
        let runbooks = root.appendingPathComponent("docs/runbooks")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runbooks.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted().map { runbooks.appendingPathComponent($0) }
            + [root.appendingPathComponent("docs/operations.md")]
    }

    /// `(file, line number, arguments after cim-monitor)` of every command in code blocks and inline code.
    static func commands() throws -> [(String, Int, [String])] {
        var found: [(String, Int, [String])] = []
        for url in documents {
            let text = try String(contentsOf: url, encoding: .utf8)
            var inBlock = false
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("```") {
                    inBlock.toggle()
                    continue
                }
                var candidates: [String] = []
                if inBlock {
                    candidates.append(trimmed.hasPrefix("$ ") ? String(trimmed.dropFirst(2)) : trimmed)
                } else {
                    let spans = trimmed.split(separator: "`", omittingEmptySubsequences: false)
                    candidates += spans.enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
                }
                for candidate in candidates where candidate.hasPrefix("cim-monitor ") || candidate == "cim-monitor" {
                    found.append((url.lastPathComponent, number + 1, try words(String(candidate.dropFirst("cim-monitor".count)))))
                }
            }
        }
        return found
    }

    /// Shell words up to a pipe, `&&`, a redirection or a comment; quotes group words.
    static func words(_ text: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var hasWord = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "'" || character == "\"" {
                quote = character
                hasWord = true
            } else if character == " " || character == "\t" {
                if hasWord { words.append(current) }
                current = ""
                hasWord = false
            } else {
                current.append(character)
                hasWord = true
            }
        }
        if hasWord { words.append(current) }
        if let end = words.firstIndex(where: { ["|", "||", "&&", ">", "2>", ">>", "#", ";", "2>&1"].contains($0) || $0.hasPrefix("#") }) {
            words.removeSubrange(end...)
        }
        return words
    }

    @Test func everyDocumentedCommandParses() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 40, "expected the runbooks to hold their commands, found \(commands.count)")
        for (file, line, arguments) in commands {
            do {
                _ = try CIMMonitor.parseAsRoot(arguments)
            } catch {
                let message = CIMMonitor.message(for: error)
                Issue.record("\(file):\(line): cim-monitor \(arguments.joined(separator: " ")): \(message)")
            }
        }
    }

    @Test func theCheckerRejectsWhatTheToolRejects() {
        #expect(throws: (any Error).self) { try CIMMonitor.parseAsRoot(["replay", "S", "--no-such-flag"]) }
        #expect(throws: (any Error).self) { try CIMMonitor.parseAsRoot(["backup", "S"]) }
        #expect(throws: (any Error).self) { try CIMMonitor.parseAsRoot(["replay", "S", "--since", "yesterday-ish"]) }
        #expect(throws: Never.self) { try CIMMonitor.parseAsRoot(["replay", "S", "--since", "2h", "--aggregate", "a"]) }
    }

    /// Each alert's runbook section exists where its `runbook_url` points.
    @Test(arguments: [
        (
            "nats-recovery.md",
            [
                "NATSServerDown", "NATSClusterBelowExpectedSize", "NATSNoMetaLeader", "NATSJetStreamStorageHigh",
                "NATSJetStreamStorageCritical", "NATSConsumerLagHigh", "NATSConsumerStalled", "NATSSlowConsumers", "CIMMonitorNATSDisconnected",
            ]
        ),
        (
            "gpu-failure.md",
            [
                "GPUTemperatureHigh", "GPUMemoryHigh", "GPUThrottling", "GPUXidErrors", "GPUDoubleBitECCErrors", "GPUDown",
                "GPUAllocationFailures",
            ]
        ),
        (
            "event-replay.md",
            [
                "CIMEventProcessingLagHigh", "CIMDomainFailureRatioHigh", "CIMDomainSilent", "CIMSchemaViolations",
                "CIMDuplicateBurst", "CIMNoEvents", "CIMWorkflowStalled", "CIMMonitorFallingBehind", "CIMMonitorCardinalityOverflow",
            ]
        ),
        ("backup-restore.md", ["CIMMonitorDown", "CIMMonitorNotReady", "CIMMonitorSnapshotStale"]),
    ])
    func everyAlertHasItsRunbookSection(file: String, alerts: [String]) throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/runbooks/\(file)"), encoding: .utf8)
        let headings = Set(text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { $0.dropFirst(3).trimmingCharacters(in: .whitespaces) })
        for alert in alerts {
            #expect(headings.contains(alert), "\(file) has no `## \(alert)` (anchor #\(alert.lowercased()))")
        }
        for section in ["Symptoms", "Diagnosis", "Recovery", "Validation"] {
            #expect(text.contains("### \(section)"), "\(file) lacks its \(section) sections")
        }
    }
}
