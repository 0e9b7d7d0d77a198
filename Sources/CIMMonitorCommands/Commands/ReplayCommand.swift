import ArgumentParser
import CommandSupport
import Foundation
import Monitor
import NATS
import Operations

#if canImport(Glibc)
import Glibc
#endif

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Read selected events back out of a stream: print them as JSON Lines, write a file, or republish them.",
        discussion: """
            The server filters what it can: --from-seq and --since set where it starts, --subject (or, when every \
            subject of the stream carries an aggregate id, --aggregate) which subjects it sends. The rest is checked \
            here with the monitor's own mapping (--domain and --event-type are the labels the monitor counts under; \
            --config adds its rules). Reading ends at --to-seq, --until, or the stream's last sequence when the replay \
            starts.

            Each JSON line holds seq, time (the store time), subject, headers and the payload (as JSON, or \
            payload_b64 when it is not JSON). --to-subject P republishes each message to P.<subject>, --to-stream S \
            into stream S (on S's subject prefix, or --to-subject), with the original headers plus \
            Cim-Replay-Of: <stream>:<seq> and Nats-Msg-Id cim-replay:<stream>:<seq>, so the same replay twice adds \
            nothing within the target's duplicate window. A progress bar goes to stderr on a terminal.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Stream to read.") var stream: String
    @Option(help: "Aggregate id: the subject token, header (X-Aggregate-ID) or payload field (aggregate_id).") var aggregate: String?
    @Option(help: "Domain label, as the monitor labels it (snake_case).") var domain: String?
    @Option(name: .customLong("event-type"), help: "Event type label, as the monitor labels it (snake_case).") var eventType: String?
    @Option(help: "Correlation id.") var correlation: String?
    @Option(help: "From this store time: RFC 3339, or a duration before now (30m, 2h, 7d).") var since: String?
    @Option(help: "Up to this store time: RFC 3339, or a duration before now.") var until: String?
    @Option(name: .customLong("from-seq"), help: "From this stream sequence.") var fromSeq: UInt64?
    @Option(name: .customLong("to-seq"), help: "Up to this stream sequence.") var toSeq: UInt64?
    @Option(name: .customLong("subject"), help: "Subject filter, wildcards allowed (repeatable).") var subjects: [String] = []
    @Option(help: ArgumentHelp("Write the JSON Lines to this file instead of stdout.", valueName: "file")) var output: String?
    @Option(name: .customLong("to-subject"), help: "Republish to PREFIX.<original subject>.") var toSubject: String?
    @Option(name: .customLong("to-stream"), help: "Republish into this stream.") var toStream: String?
    @Flag(name: .customLong("dry-run"), help: "Count what would be replayed; write nothing.") var dryRun = false
    @Option(help: "At most this many messages per second.") var rate: Double?
    @Option(help: ArgumentHelp("YAML configuration file (mapping rules).", valueName: "file")) var config: String?

    func validate() throws {
        let outputs = [output != nil, toSubject != nil || toStream != nil, dryRun].filter { $0 }.count
        if outputs > 1 { throw ValidationError("choose one of --output, --to-subject/--to-stream and --dry-run") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be above 0") }
        let now = Date().timeIntervalSince1970
        if let since, TimeArgument.seconds(since, now: now) == nil {
            throw ValidationError("--since \(since.debugDescription) is neither RFC 3339 (2026-12-01T10:00:00Z) nor a duration (2h)")
        }
        if let until, TimeArgument.seconds(until, now: now) == nil {
            throw ValidationError("--until \(until.debugDescription) is neither RFC 3339 (2026-12-01T10:00:00Z) nor a duration (2h)")
        }
        if let toSubject, toSubject.isEmpty || toSubject.hasSuffix(".") || toSubject.contains(where: { $0 == "*" || $0 == ">" || $0 == " " }) {
            throw ValidationError("--to-subject needs a subject prefix without wildcards, such as replay.orders")
        }
    }

    func run() async throws {
        let now = Date().timeIntervalSince1970
        var selection = ReplaySelection()
        selection.aggregate = aggregate
        selection.domain = domain
        selection.eventType = eventType
        selection.correlation = correlation
        selection.since = since.flatMap { TimeArgument.seconds($0, now: now) }
        selection.until = until.flatMap { TimeArgument.seconds($0, now: now) }
        selection.fromSequence = fromSeq
        selection.toSequence = toSeq
        selection.subjects = subjects
        do {
            try selection.validate()
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        let (configuration, connection) = try loadConfiguration(config, connection: connection)
        try await withJetStream(connection) { jetStream in
            var descriptor: Int32 = STDOUT_FILENO
            if let output {
                descriptor = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                guard descriptor >= 0 else { throw ReplayError("cannot write \(output): \(String(cString: strerror(errno)))") }
            }
            defer { if output != nil { close(descriptor) } }
            let target: ReplayOutput
            if dryRun {
                target = .dryRun
            } else if toSubject != nil || toStream != nil {
                target = .republish(prefix: try await republishPrefix(jetStream), stream: toStream)
            } else {
                target = .lines(descriptor: descriptor)
            }
            let replay = Replay(
                jetStream: jetStream,
                stream: stream,
                selection: selection,
                rules: configuration.rules,
                maxPayloadBytes: configuration.maxPayloadBytes,
                output: target,
                rate: rate
            )
            let bar = TerminalProgress(dataOnStdout: output == nil && !dryRun && toSubject == nil && toStream == nil)
            let summary = try await replay.run { progress in
                let first = Double(replay.selection.fromSequence ?? 0)
                bar.update(
                    "replay \(stream)",
                    done: Double(progress.lastSequence) - first,
                    total: Double(progress.stopAt) - first,
                    unit: "seq"
                )
            }
            bar.finish()
            let range = summary.firstSequence.map { " (seq \($0)…\(summary.lastSequence ?? $0))" } ?? ""
            switch target {
            case .dryRun:
                print("\(summary.matched) of \(summary.scanned) messages read would be replayed\(range)")
            case .republish(let prefix, _):
                printError(
                    "replayed \(summary.matched) messages\(range) to \(prefix).>: \(summary.published) stored, \(summary.duplicates) already there"
                )
            case .lines:
                if summary.matched == 0 { printError("no message of \(summary.scanned) read matched the selection") }
            }
        }
    }

    /// The subject prefix to republish under: --to-subject, else the prefix of --to-stream's first subject (`P.>`).
    private func republishPrefix(_ jetStream: JetStream) async throws -> String {
        if let toSubject { return toSubject }
        guard let toStream else { throw ReplayError("give --to-subject or --to-stream") }
        let info: StreamInfo
        do {
            info = try await jetStream.streamInfo(toStream)
        } catch let error as JetStreamError where error == .streamNotFound {
            throw ReplayError("target stream \(toStream) not found: create it first (its subjects such as replay.>)")
        }
        guard let subject = info.config.subjects?.first, subject.hasSuffix(".>"), subject.count > 2 else {
            throw ReplayError("target stream \(toStream) has no subject of the form PREFIX.>: give --to-subject PREFIX too")
        }
        return String(subject.dropLast(2))
    }
}
