import Foundation
import GPUNode
import GPUTelemetry
import NATS
import NATSTestSupport
import Testing

/// Issue 13 end to end: `gpu agent` (NVML through `dlopen` of a stub library built here) → nats-server → `serve` →
/// `/metrics`; the nvidia-smi path with a stub executable; `gpu ls` / `gpu sample` and their exit status.
@Suite(.serialized, .timeLimit(.minutes(3)))
final class GPUAgentTests {
    static let stream = "GPU_EVENTS"
    /// This test's folder (control files, a stub nvidia-smi), removed when the test ends.
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("cim-gpu-agent-test-\(UUID().uuidString)")

    deinit {
        try? FileManager.default.removeItem(at: work)
    }
    static let library = Result { try StubNVML.build() }

    /// The environment of a `cim-monitor gpu …` run against the stub NVML: `gpus` GPUs, controlled through `control`.
    static func environment(gpus: Int, control: URL) throws -> [String: String] {
        var environment = MonitorProcess.environment()
        environment["CIM_NVML_LIBRARY"] = try library.get()
        environment["CIM_TEST_NVML_GPUS"] = String(gpus)
        environment["CIM_TEST_NVML_CONTROL"] = control.path
        environment["CIM_NVIDIA_SMI"] = nil
        return environment
    }

    func makeControl() throws -> URL {
        let control = work.appendingPathComponent("control-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: control, withIntermediateDirectories: true)
        return control
    }

    /// `family{…gpu="<gpu>"…} value` from a Prometheus text, for one GPU (and extra label text), or nil.
    static func value(_ family: String, gpu: String, _ extra: String = "", in text: String) -> Double? {
        for line in text.split(separator: "\n")
        where line.hasPrefix(family + "{") && line.contains("gpu=\"\(gpu)\"") && (extra.isEmpty || line.contains(extra)) {
            return line.split(separator: " ").last.flatMap { Double($0) }
        }
        return nil
    }

    static func metrics(_ monitor: MonitorProcess) async throws -> String {
        String(decoding: try await httpGet(port: monitor.port, path: "/metrics", timeout: 5).body, as: UTF8.self)
    }

    /// Polls `/metrics` until `condition` holds (returns the text) or `seconds` pass (returns nil).
    static func waitFor(_ monitor: MonitorProcess, seconds: Double, _ condition: (String) -> Bool) async throws -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let text = try? await metrics(monitor), condition(text) { return text }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test func agentThroughServeShowsTheReadingsCountsXidsAndGoesDownAfterKill() async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.stop() }
        let client = try await server.connectedClient()
        _ = try await JetStream(client: client, timeout: 5).createOrUpdateStream(StreamConfig(name: Self.stream, subjects: ["cim.gpu.>"]))
        await client.close()

        let control = try makeControl()
        let agent = Process()
        agent.executableURL = try MonitorProcess.binary()
        agent.arguments = ["gpu", "agent", "--server", server.url, "--node", "n1", "--interval", "1s"]
        agent.environment = try Self.environment(gpus: 2, control: control)
        let agentOutput = Pipe()
        agent.standardOutput = agentOutput
        agent.standardError = agentOutput
        try agent.run()
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL) } }

        let monitor = try MonitorProcess(arguments: [
            "serve", "--server", server.url, "--instance", "gpu", "--stream", Self.stream, "--snapshot-interval", "0.2",
        ])
        defer { monitor.shutdown() }
        try monitor.start()
        try await monitor.waitUntilServing()

        let gpu0 = "GPU-00000000-0000-0000-0000-000000000000"
        let gpu1 = "GPU-00000000-0000-0000-0000-000000000001"
        let live = try await Self.waitFor(monitor, seconds: 20) { text in
            Self.value("cim_gpu_power_watts", gpu: gpu0, in: text) != nil && Self.value("cim_gpu_power_watts", gpu: gpu1, in: text) != nil
        }
        let seen = ((try? await Self.metrics(monitor)) ?? "").split(separator: "\n").filter { $0.hasPrefix("cim_gpu") }
        let text = try #require(live, "no cim_gpu_power_watts for both GPUs: \(seen.joined(separator: "\n")) \(monitor.stderr.suffix(500))")
        // The H200 capture's load values, as the stub serves them.
        for gpu in [gpu0, gpu1] {
            #expect(Self.value("cim_gpu_up", gpu: gpu, in: text) == 1)
            #expect(Self.value("cim_gpu_power_watts", gpu: gpu, in: text) == 627.4)
            #expect(Self.value("cim_gpu_power_limit_watts", gpu: gpu, in: text) == 700)
            #expect(Self.value("cim_gpu_memory_used_bytes", gpu: gpu, in: text) == Double(32_362 * 1_048_576))
            #expect(Self.value("cim_gpu_memory_total_bytes", gpu: gpu, in: text) == Double(143_771 * 1_048_576))
            #expect(Self.value("cim_gpu_utilization_ratio", gpu: gpu, "engine=\"gpu\"", in: text) == 1)
            #expect(Self.value("cim_gpu_utilization_ratio", gpu: gpu, "engine=\"memory\"", in: text) == 0.07)
            #expect(Self.value("cim_gpu_temperature_celsius", gpu: gpu, "sensor=\"gpu\"", in: text) == 52)
            #expect(Self.value("cim_gpu_clock_hertz", gpu: gpu, "domain=\"sm\"", in: text) == 1_980_000_000)
            #expect(Self.value("cim_gpu_clock_hertz", gpu: gpu, "domain=\"memory\"", in: text) == 3_201_000_000)
            #expect(Self.value("cim_gpu_energy_joules_total", gpu: gpu, in: text) == 123_456.789)
            #expect(Self.value("cim_gpu_info", gpu: gpu, "driver=\"590.48.01\"", in: text) == 1)
            #expect(Self.value("cim_gpu_temperature_celsius", gpu: gpu, "sensor=\"memory\"", in: text) == 40)
            #expect(Self.value("cim_gpu_memory_reserved_bytes", gpu: gpu, in: text) == Double(614 * 1_048_576))
            #expect(Self.value("cim_gpu_remapped_rows", gpu: gpu, "kind=\"correctable\"", in: text) == 0)
            #expect(Self.value("cim_gpu_remapped_rows", gpu: gpu, "kind=\"uncorrectable\"", in: text) == 0)
            #expect(!text.contains("cim_gpu_retired_pages{"), "retired pages are NOT_SUPPORTED on the H200: absent, never 0")
        }
        #expect(
            text.contains(
                #"cim_gpu_info{node="n1",vendor="nvidia",gpu="\#(gpu0)",index="0",model="NVIDIA H200",mig_instance="",driver="590.48.01"} 1"#
            )
        )
        #expect(text.contains(#"cim_events_total{domain="gpu",aggregate_type="n1",event_type="sampled"}"#))

        try "79".write(to: control.appendingPathComponent("xid-1"), atomically: true, encoding: .utf8)
        let xid = try await Self.waitFor(monitor, seconds: 10) { Self.value("cim_gpu_xid_errors_total", gpu: gpu1, "xid=\"79\"", in: $0) == 1 }
        #expect(xid != nil, "the Xid did not reach cim_gpu_xid_errors_total")
        #expect(Self.value("cim_gpu_xid_errors_total", gpu: gpu0, in: xid ?? "") == nil)

        // kill -9 of the monitor: it resumes after its snapshot, which holds the GPU state, so the Xid is still counted
        // once (without the GPU state in the snapshot it would be gone: the Xid's message is before the resume point).
        let samplesBefore = BootOrderTests.sum("cim_gpu_samples_total", in: xid ?? "")
        try await Task.sleep(for: .seconds(1))
        monitor.kill()
        try monitor.start()
        try await monitor.waitUntilServing()
        let resumed = try await Self.waitFor(monitor, seconds: 15) { text in
            Self.value("cim_gpu_power_watts", gpu: gpu1, in: text) != nil && BootOrderTests.sum("cim_gpu_samples_total", in: text) > samplesBefore
        }
        let afterRestart = try #require(resumed, "the restarted monitor shows no GPU readings")
        #expect(Self.value("cim_gpu_xid_errors_total", gpu: gpu1, "xid=\"79\"", in: afterRestart) == 1)

        // kill -9: within 3 intervals (plus the time a sample takes to arrive) the GPUs are down and their gauges gone.
        kill(agent.processIdentifier, SIGKILL)
        agent.waitUntilExit()
        let killedAt = Date()
        let down = try await Self.waitFor(monitor, seconds: 8) { text in
            Self.value("cim_gpu_up", gpu: gpu0, in: text) == 0 && Self.value("cim_gpu_up", gpu: gpu1, in: text) == 0
        }
        let after = Date().timeIntervalSince(killedAt)
        let downText = try #require(down, "cim_gpu_up did not go to 0")
        // Down at the last sample's store time + 3 intervals, so at most 3 s after the kill; the slack is for this
        // loop's 100 ms polls and a scrape on a loaded machine, not for the fold.
        #expect(after <= 4.5, "took \(after) s for 1 s intervals")
        #expect(Self.value("cim_gpu_power_watts", gpu: gpu0, in: downText) == nil)
        #expect(Self.value("cim_gpu_xid_errors_total", gpu: gpu1, "xid=\"79\"", in: downText) == 1)
        let printed = agentOutput.fileHandleForReading.readDataToEndOfFile()
        #expect(printed.isEmpty, "the agent printed: \(String(decoding: printed, as: UTF8.self))")
    }

    /// `cim-monitor gpu agent` hands over to the lean `cim-gpu-agent` beside it (the same process, now that
    /// executable), or with `CIM_GPU_AGENT_IN_PROCESS=1` runs the agent itself; either way it publishes and stops
    /// cleanly on SIGTERM.
    @Test(arguments: [false, true])
    func agentPublishesAndStopsGracefullyOnSIGTERM(inProcess: Bool) async throws {
        let server = try NATSServer()
        try server.start()
        defer { server.stop() }
        let client = try await server.connectedClient()
        let samples = try await client.subscribe(to: "cim.gpu.n1.sampled")
        try await client.flush()
        let agent = Process()
        agent.executableURL = try MonitorProcess.binary()
        agent.arguments = ["gpu", "agent", "--server", server.url, "--node", "n1", "--interval", "200ms"]
        var environment = try Self.environment(gpus: 1, control: try makeControl())
        environment["CIM_GPU_AGENT_IN_PROCESS"] = inProcess ? "1" : nil
        agent.environment = environment
        try agent.run()
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL) } }
        let sampled = try await withTimeout(10) { await samples.first { _ in true } != nil }
        #expect(sampled)
        let image = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(agent.processIdentifier)/exe")
        #expect(URL(fileURLWithPath: image).lastPathComponent == (inProcess ? "cim-monitor" : "cim-gpu-agent"), "\(image)")
        kill(agent.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while agent.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!agent.isRunning, "still running 5 s after SIGTERM")
        if !agent.isRunning { #expect(agent.terminationStatus == 0) }
        await client.close()
    }

    @Test func onlyTheGPUAgentCommandLineIsHandedOver() {
        #expect(LeanAgentExecutable.flags(["cim-monitor", "gpu", "agent", "--server", "nats://a:4222"]) == ["--server", "nats://a:4222"])
        #expect(LeanAgentExecutable.flags(["cim-monitor", "gpu", "agent"]) == [])
        #expect(LeanAgentExecutable.flags(["cim-monitor", "gpu", "ls"]) == nil)
        #expect(LeanAgentExecutable.flags(["cim-monitor", "serve", "gpu", "agent"]) == nil)
    }

    /// A directory with an `nvidia-smi` that prints a capture's `--query-gpu` CSV (load state) and, asked `-L`, the
    /// capture's `nvidia-smi -L` section.
    func stubNvidiaSMI(
        capture name: String = "utkuozdemir-nvidia_gpu_exporter__linux-x86_64__nvidia-h200__590.48.01__query-gpu.txt"
    ) throws -> URL {
        let directory = work.appendingPathComponent("smi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let capture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gpu/\(name)")
        let lines = try String(contentsOf: capture, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let banner = try #require(lines.firstIndex { $0.hasPrefix("# load :: query-gpu") })
        let header = try #require(lines[banner...].firstIndex { $0.hasPrefix("timestamp, ") })
        let csv = directory.appendingPathComponent("capture.csv")
        try (lines[header] + "\n" + lines[header + 1] + "\n").write(to: csv, atomically: true, encoding: .utf8)
        var listing = ""
        if let list = lines.firstIndex(where: { $0.hasPrefix("# capabilities :: list (-L)") }),
            let rule = lines[(list + 1)...].firstIndex(where: { $0.hasPrefix("####") })
        {
            listing = lines[(rule + 1)...].prefix { !$0.isEmpty }.joined(separator: "\n") + "\n"
        }
        let list = directory.appendingPathComponent("list.txt")
        try listing.write(to: list, atomically: true, encoding: .utf8)
        let script = directory.appendingPathComponent("nvidia-smi")
        try "#!/bin/sh\nif [ \"$1\" = -L ]; then cat '\(list.path)'; else cat '\(csv.path)'; fi\n"
            .write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return directory
    }

    @Test func theNvidiaSMIPathListsMIGInstancesFromTheList() async throws {
        let directory = try stubNvidiaSMI(capture: "utkuozdemir-nvidia_gpu_exporter__linux-x86_64__nvidia-h100-mig__590.48.01__query-gpu.txt")
        var environment = withoutNVML(path: "/usr/bin:/bin")
        environment["CIM_NVIDIA_SMI"] = directory.appendingPathComponent("nvidia-smi").path
        let run = try await ProgramRun.run(try MonitorProcess.binary(), ["gpu", "sample", "--json"], environment: environment, timeout: 20)
        #expect(run.status == 0, "\(run.error)")
        let event = try #require(GPUEventCodec.decode(run.output), "\(run.outputText)")
        let readings = try #require(event.gpus)
        let parent = "GPU-00000000-0000-0000-0000-000000000000"
        #expect(readings.map(\.gpu) == Array(repeating: parent, count: 5))
        #expect(readings.first?.migEnabled == true)
        #expect(readings.first?.memoryUsedBytes == 11_125 * 1_048_576)
        #expect(readings.first?.errors == nil)
        #expect(
            readings.dropFirst().map(\.migInstance) == [
                "MIG-00000000-0000-0000-0000-000000000000", "MIG-00000001-0000-0000-0000-000000000001",
                "MIG-00000002-0000-0000-0000-000000000002", "MIG-00000003-0000-0000-0000-000000000003",
            ]
        )
        #expect(readings.dropFirst().map(\.migProfile) == ["3g.40gb", "2g.20gb", "1g.10gb", "1g.10gb"])
        // the list has no per-instance readings: absent, never 0
        #expect(readings.dropFirst().allSatisfy { $0.memoryUsedBytes == nil && $0.utilizationGPU == nil })
    }

    func withoutNVML(path: String) -> [String: String] {
        var environment = MonitorProcess.environment()
        environment["CIM_NVML_LIBRARY"] = work.appendingPathComponent("no-such-libnvidia-ml.so").path
        environment["CIM_NVIDIA_SMI"] = nil
        environment["PATH"] = path
        return environment
    }

    @Test func withoutNVMLTheSampleComesFromNvidiaSMIOnPath() async throws {
        let directory = try stubNvidiaSMI()
        let environment = withoutNVML(path: directory.path + ":/usr/bin:/bin")
        let run = try await ProgramRun.run(
            try MonitorProcess.binary(),
            ["gpu", "sample", "--json", "--node", "n1"],
            environment: environment,
            timeout: 20
        )
        #expect(run.status == 0, "\(run.error)")
        let event = try #require(GPUEventCodec.decode(run.output), "\(run.outputText)")
        #expect(event.eventType == .sampled && event.node == "n1" && event.vendor == .nvidia && event.driver == "590.48.01")
        let gpu = try #require(event.gpus?.first)
        #expect(gpu.model == "NVIDIA H200")
        #expect(gpu.powerWatts == 627.40)
        #expect(gpu.memoryUsedBytes == 32_362 * 1_048_576)
        #expect(gpu.temperatureMemoryCelsius == 40)
        #expect(gpu.fanRatio == nil)

        let list = try await ProgramRun.run(try MonitorProcess.binary(), ["gpu", "ls"], environment: environment, timeout: 20)
        #expect(list.status == 0)
        #expect(list.outputText.hasPrefix("INDEX  UUID"))
        #expect(list.outputText.contains("0      GPU-00000000-0000-0000-0000-000000000000  NVIDIA H200  590.48.01  140.4 GiB  disabled"))

        var viaOverride = withoutNVML(path: "/usr/bin:/bin")
        viaOverride["CIM_NVIDIA_SMI"] = directory.appendingPathComponent("nvidia-smi").path
        let overridden = try await ProgramRun.run(try MonitorProcess.binary(), ["gpu", "sample", "--json"], environment: viaOverride, timeout: 20)
        #expect(GPUEventCodec.decode(overridden.output)?.gpus?.first?.powerWatts == 627.40)
    }

    @Test func withoutAnyGPUOrDriverTheCommandsExitWith2AndOneLine() async throws {
        let environment = withoutNVML(path: "/usr/bin:/bin")
        for arguments in [["gpu", "ls"], ["gpu", "sample"], ["gpu", "agent", "--server", "nats://127.0.0.1:1"]] {
            let run = try await ProgramRun.run(try MonitorProcess.binary(), arguments, environment: environment, timeout: 20)
            #expect(run.status == 2, "\(arguments): \(run.error)")
            #expect(run.output.isEmpty)
            #expect(run.error.hasPrefix("error: no GPU or GPU driver found"), "\(run.error)")
            #expect(run.error.split(separator: "\n").count == 1)
        }
    }

    @Test func nvmlIsLoadedThroughTheLibraryOverride() async throws {
        var environment = try Self.environment(gpus: 3, control: try makeControl())
        environment["CIM_TEST_NVML_MIG_GPU"] = "2"
        let run = try await ProgramRun.run(try MonitorProcess.binary(), ["gpu", "ls"], environment: environment, timeout: 20)
        #expect(run.status == 0, "\(run.error)")
        let lines = run.outputText.split(separator: "\n")
        #expect(lines.count == 6, "\(run.outputText)")  // header, 3 GPUs, 2 MIG instances
        #expect(lines.last?.contains("instance MIG-00000000-0000-0000-0000-000000000001 (1g.18gb)") == true)
    }
}
