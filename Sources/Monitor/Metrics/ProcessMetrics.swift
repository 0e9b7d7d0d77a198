import EventMetrics
import Foundation

/// The standard `process_*` metrics, read from `/proc/self` (Linux); empty elsewhere.
public enum ProcessMetrics {
    public static func families() -> [MetricFamily] {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return [] }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state(0) ppid(1) … utime(11) stime(12) … starttime(19) vsize(20) rss(21)
        guard fields.count > 21, let utime = Double(fields[11]), let stime = Double(fields[12]),
            let start = Double(fields[19]), let virtual = Double(fields[20]), let residentPages = Double(fields[21])
        else { return [] }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        var bootTime = 0.0
        if let procStat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = procStat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") })
        {
            bootTime = Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        let openFiles = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        var families: [MetricFamily] = []
        func add(_ name: String, _ help: String, _ type: MetricType, _ value: Double) {
            if let family = try? MetricFamily(name: name, help: help, type: type, series: [MetricSeries(value: .number(value))]) {
                families.append(family)
            }
        }
        add("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", .counter, (utime + stime) / ticks)
        add("process_resident_memory_bytes", "Resident memory size in bytes.", .gauge, residentPages * pageSize)
        add("process_virtual_memory_bytes", "Virtual memory size in bytes.", .gauge, virtual)
        add("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", .gauge, bootTime + start / ticks)
        add("process_open_fds", "Number of open file descriptors.", .gauge, Double(openFiles))
        return families
    }

    /// Resident memory in bytes, or 0 when unknown.
    public static func residentBytes() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }
}
