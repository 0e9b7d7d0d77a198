#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `cim-gpu-agent`, the executable that runs only the GPU agent, found next to the running executable.
public enum LeanAgentExecutable {
    /// Its file name.
    public static let name = "cim-gpu-agent"

    /// When the process was started as `<cim-monitor> gpu agent …` and `cim-gpu-agent` is an executable file in the
    /// same directory, replaces this process with it (`execv`: same process id, so signals and supervisors still
    /// reach the agent), passing the flags after `agent` unchanged. Returns, and the caller runs the agent itself,
    /// when the arguments have another shape, `CIM_GPU_AGENT_IN_PROCESS=1` is set, there is no such file, or `execv`
    /// fails.
    public static func handOver(arguments: [String], environment: [String: String]) {
        guard environment["CIM_GPU_AGENT_IN_PROCESS"] != "1",
            let flags = flags(arguments),
            let directory = runningDirectory()
        else { return }
        let path = directory + "/" + name
        guard access(path, X_OK) == 0 else { return }
        let argv = [path] + flags
        var pointers = argv.map { strdup($0) }
        pointers.append(nil)
        execv(path, pointers)
        for pointer in pointers { free(pointer) }
    }

    /// The flags after `gpu agent` when the arguments are `<program> gpu agent <flags…>`; `nil` otherwise.
    public static func flags(_ arguments: [String]) -> [String]? {
        guard arguments.count >= 3, arguments[1] == "gpu", arguments[2] == "agent" else { return nil }
        return Array(arguments.dropFirst(3))
    }

    /// The directory of the running executable (Linux: `/proc/self/exe`); `nil` where it cannot be known.
    static func runningDirectory() -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
        #else
        return nil
        #endif
    }
}
