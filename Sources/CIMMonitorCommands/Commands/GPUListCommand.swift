import ArgumentParser
import CommandSupport
import Foundation
import GPUNode
import GPUTelemetry

struct GPUListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List this node's GPUs: index, uuid, model, driver, memory, MIG.",
        discussion: "Exit status 2 when no GPU or driver is found."
    )

    func run() async throws {
        let source = try openGPUSource()
        let sample: GPUSample
        do {
            sample = try source.sample()
        } catch {
            printError("error: \(error.message)")
            throw ExitCode(2)
        }
        var rows = [["INDEX", "UUID", "MODEL", "DRIVER", "MEMORY", "MIG"]]
        for reading in sample.readings {
            let memory = reading.memoryTotalBytes.map { String(format: "%.1f GiB", Double($0) / 1_073_741_824) } ?? "-"
            let mig: String
            if let instance = reading.migInstance {
                mig = "instance \(instance)" + (reading.migProfile.map { " (\($0))" } ?? "")
            } else {
                mig = reading.migEnabled.map { $0 ? "enabled" : "disabled" } ?? "-"
            }
            rows.append([
                String(reading.index), reading.migInstance == nil ? reading.gpu : "  " + reading.gpu, reading.model, sample.driver ?? "-", memory,
                mig,
            ])
        }
        writeOutput(Array(GPUTable.render(rows).utf8))
    }
}

/// A plain text table with columns padded to their widest cell.
enum GPUTable {
    static func render(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
