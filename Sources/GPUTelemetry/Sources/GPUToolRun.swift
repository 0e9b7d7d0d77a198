import Foundation

/// Runs a GPU tool (`nvidia-smi`, `powermetrics`) and returns its standard output: no shell, standard input and
/// error closed, killed when it outlives `timeout`.
enum GPUToolRun {
    /// - Throws: ``GPUSourceError`` when the tool cannot start, or exits unsuccessfully (`hint` says what to check).
    static func run(_ executable: String, _ arguments: [String], timeout: Duration, hint: String) throws(GPUSourceError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw GPUSourceError("cannot run \(executable): \(error.localizedDescription)") }
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: killer)
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw GPUSourceError("\(executable) failed (status \(process.terminationStatus)): \(hint)")
        }
        return Array(data)
    }
}
