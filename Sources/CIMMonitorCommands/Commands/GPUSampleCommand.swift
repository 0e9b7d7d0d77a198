import ArgumentParser
import CommandSupport
import Foundation
import GPUNode
import GPUTelemetry

struct GPUSampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Take one reading of this node's GPUs and print it.",
        discussion: """
            Without --json: one line per GPU and MIG instance. With --json: the sampled event exactly as the agent \
            publishes it. --repeat N takes N readings and prints the last, with the CPU time per reading (nvidia-smi runs \
            included) on stderr, for benchmarks. Exit status 2 when no GPU or driver is found.
            """
    )

    @Flag(help: "Print the sampled event as the agent publishes it (JSON).") var json = false
    @Option(help: "Node name in the event (default: the host name).") var node: String?
    @Option(name: .customLong("repeat"), help: "Take this many readings (the last is printed) and report the CPU time per reading on stderr.")
    var repetitions: Int = 1

    func validate() throws {
        guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    func run() async throws {
        let source = try openGPUSource()
        var sample: GPUSample?
        let cpuBefore = Self.cpuSeconds()
        for _ in 0..<repetitions {
            do {
                sample = try source.sample()
            } catch {
                printError("error: \(error.message)")
                throw ExitCode(2)
            }
        }
        let cpuPerSample = (Self.cpuSeconds() - cpuBefore) / Double(repetitions)
        guard let sample else { return }
        if repetitions > 1 { printError(String(format: "cpu_seconds_per_sample %.9f source %@", cpuPerSample, source.name)) }
        let now = Date().timeIntervalSince1970
        if json {
            var event = GPUEvent(
                eventID: GPUEventClock.eventID(at: now),
                eventType: .sampled,
                occurredAt: GPUEventClock.timestamp(now),
                node: GPUSubject.token(node ?? ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "node"),
                vendor: sample.vendor
            )
            event.driver = sample.driver
            event.gpus = sample.readings
            writeOutput(GPUEventCodec.encode(event) + [0x0A])
            return
        }
        var lines: [String] = []
        for reading in sample.readings {
            func value(_ number: Double?, _ format: String) -> String { number.map { String(format: format, $0) } ?? "-" }
            let name = reading.migInstance.map { "  \(reading.index) \($0)" } ?? "\(reading.index) \(reading.gpu) \(reading.model)"
            let memory = reading.memoryUsedBytes.map { Double($0) / 1_048_576 }
            let total = reading.memoryTotalBytes.map { Double($0) / 1_048_576 }
            lines.append(
                "\(name): util \(value(reading.utilizationGPU.map { $0 * 100 }, "%.0f%%")) mem \(value(memory, "%.0f"))/\(value(total, "%.0f")) MiB "
                    + "temp \(value(reading.temperatureGPUCelsius, "%.0f C")) power \(value(reading.powerWatts, "%.1f W"))/\(value(reading.powerLimitWatts, "%.0f W")) "
                    + "sm \(value(reading.clockSMHertz.map { $0 / 1e6 }, "%.0f MHz"))"
                    + (reading.throttleReasons.map { $0.isEmpty ? "" : " throttle " + $0.map(\.rawValue).joined(separator: ",") } ?? "")
                    + (reading.errors.map { " errors: " + $0.joined(separator: "; ") } ?? "")
            )
        }
        writeOutput(Array((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// CPU time (user + system) of this process and of the children it waited for (nvidia-smi runs).
    static func cpuSeconds() -> Double {
        var total = 0.0
        #if canImport(Glibc)
        let whom = [RUSAGE_SELF, RUSAGE_CHILDREN].map { __rusage_who_t($0.rawValue) }
        #else
        let whom = [RUSAGE_SELF, RUSAGE_CHILDREN]
        #endif
        for who in whom {
            var usage = rusage()
            getrusage(who, &usage)
            total += Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        return total
    }
}
