import Monitor
import NATSTestSupport
import Synchronization
import Testing

@Suite struct StallDetectorTests {
    typealias Instant = ManualClock.Instant

    func at(_ seconds: Int) -> Instant { Instant(offset: .seconds(seconds)) }

    @Test func stalledOnlyAfterTheThresholdWithoutActivity() {
        var detector = StallDetector<Instant>(threshold: .seconds(15))
        // (activity count, seconds, stalled?): 15 s without a change is a stall; activity again is live at once, and
        // the threshold counts from that change.
        let looks: [(Int, Int, Bool)] = [
            (7, 0, false), (7, 14, false), (7, 15, true), (7, 40, true), (8, 41, false), (8, 55, false), (8, 56, true),
        ]
        for (count, second, expected) in looks {
            let stalled = detector.observe(count: count, at: at(second))
            #expect(stalled == expected, "count \(count) at \(second) s")
        }
        detector.reset()
        #expect(!detector.isStalled)
        let afterReset = detector.observe(count: 8, at: at(100))
        #expect(!afterReset)
    }

    /// The watch runs on its own clock: the first look after the threshold reports the stall, without anyone polling
    /// `/readyz`.
    @Test func theFirstLookAfterAStallReportsIt() async {
        let clock = ManualClock()
        let activity = Atomic<Int>(0)
        let reports = Mutex<[Bool]>([])
        let watch = Task {
            await watchForStalls(clock: clock, interval: .seconds(1), threshold: .seconds(15), activity: { activity.load(ordering: .relaxed) }) {
                stalled in reports.withLock { $0.append(stalled) }
            }
        }
        // Ten seconds of activity, a message each second.
        for _ in 0..<10 {
            await clock.waitForSleepers()
            activity.add(1, ordering: .relaxed)
            clock.advance(by: .seconds(1))
        }
        // Then nothing: 14 looks say live, the 15th says stalled.
        for _ in 0..<15 {
            await clock.waitForSleepers()
            clock.advance(by: .seconds(1))
        }
        await clock.waitForSleepers()
        let seen = reports.withLock { $0 }
        #expect(seen.count == 26)
        #expect(seen.prefix(25).allSatisfy { !$0 }, "\(seen)")
        #expect(seen.last == true)
        // Activity again: the next look says live.
        activity.add(1, ordering: .relaxed)
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers()
        let last = reports.withLock { $0.last }
        #expect(last == false)
        watch.cancel()
        await watch.value
    }
}
