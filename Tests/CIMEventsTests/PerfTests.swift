import Foundation
import NATSTestSupport
import Testing

@testable import CIMEvents

/// Throughput figures: run `swift test -c release --filter Perf`. Nothing here asserts a time (a
/// timed assertion fails on slow or busy machines); each test checks that the repeated mapping
/// stays correct and prints nanoseconds per event, of CPU time (the thread's, so it is not
/// inflated by other load) and of wall time. The cases run one at a time; debug builds do a token
/// run only.
@Suite("Perf: mapping throughput (prints ns/event)", .serialized)
struct PerfTests {
    #if DEBUG
    static let iterations = 2_000
    #else
    static let iterations = 500_000
    #endif

    @Test(
        "prints the per-event time of typical corpus events",
        arguments: ["cim-prefixed-standard", "cim-prefixed-failure-kind", "event-store-stored-event", "workflow-publisher-headers"]
    )
    func mapsTypicalEvent(_ name: String) throws {
        let line = try #require(CorpusLine.all.first { $0.name == name })
        var mapper = EventMapper()
        let subject = Array(line.subject.utf8)
        let headers = line.headerBlock
        let expected = mapper.map(subject: line.subject, headers: line.headers, payload: line.payload)
        var mismatches = 0
        let cpuStart = Self.threadCPUNanoseconds()
        let wall = ContinuousClock().measure {
            subject.withUnsafeBytes { subject in
                headers.withUnsafeBytes { headers in
                    line.payload.withUnsafeBytes { payload in
                        for _ in 0..<Self.iterations where mapper.map(subject: subject, headers: headers, payload: payload) != expected {
                            mismatches += 1
                        }
                    }
                }
            }
        }
        let cpuNanoseconds = Self.threadCPUNanoseconds() - cpuStart
        let wallNanoseconds = Double(wall.components.seconds) * 1e9 + Double(wall.components.attoseconds) / 1e9
        let n = Double(Self.iterations)
        print(
            "\(name): \(line.payload.count) B payload + \(headers.count) B headers: \(Int(cpuNanoseconds / n)) ns/event CPU, \(Int(wallNanoseconds / n)) ns/event wall"
        )
        #expect(mismatches == 0)
    }

    /// CPU time of the calling thread (the loop above runs on one thread, without suspending).
    private static func threadCPUNanoseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
    }
}
