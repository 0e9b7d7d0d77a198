import Foundation

/// The captures in `Tests/Fixtures/gpu/` (see its README for their provenance).
enum GPUFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gpu")

    static let h200 = "utkuozdemir-nvidia_gpu_exporter__linux-x86_64__nvidia-h200__590.48.01__query-gpu.txt"
    static let h100MIG = "utkuozdemir-nvidia_gpu_exporter__linux-x86_64__nvidia-h100-mig__590.48.01__query-gpu.txt"
    static let rtx4080 = "utkuozdemir-nvidia_gpu_exporter__linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05__query-gpu.txt"
    static let powermetrics = "matiasinsaurralde-powermetrics__testdata__gpu_power.xml"
    static let powermetricsMultiple = "matiasinsaurralde-powermetrics__testdata__gpu_power_multiple_samples.xml"
    static let ioreg = "exelban-stats-issue-1094__ioreg-r-d1-w0-c-IOAccelerator__AGXAcceleratorG13X-t6000__partial.txt"

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The `--query-gpu` CSV of one state (`idle` or `load`) of a capture: its header line and data line.
    static func csv(_ name: String, state: String) throws -> String {
        let text = String(decoding: try bytes(name), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let banner = lines.firstIndex(where: { $0.hasPrefix("# \(state) :: query-gpu") }),
            let header = lines[banner...].firstIndex(where: { $0.hasPrefix("timestamp, ") })
        else { throw CocoaError(.fileReadCorruptFile) }
        return lines[header] + "\n" + lines[header + 1] + "\n"
    }

    /// The `nvidia-smi -L` section of a capture: the lines after its banner, up to the first empty line.
    static func list(_ name: String) throws -> String {
        let text = String(decoding: try bytes(name), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let banner = lines.firstIndex(where: { $0.hasPrefix("# capabilities :: list (-L)") }),
            let rule = lines[(banner + 1)...].firstIndex(where: { $0.hasPrefix("####") })
        else { throw CocoaError(.fileReadCorruptFile) }
        return lines[(rule + 1)...].prefix { !$0.isEmpty }.joined(separator: "\n") + "\n"
    }
}
