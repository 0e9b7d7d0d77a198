import Testing

@testable import CIMSimulation

/// The bucket takes the time as an argument: these tests drive it with a clock of their own.
@Suite struct TokenBucketTests {
    @Test func holdsTheRateOverTime() {
        var bucket = TokenBucket(capacity: 10)
        var now = 0.0
        var taken = 0
        for _ in 0..<100_000 where now < 10 {
            let wait = bucket.take(now: now, rate: 100)
            if wait == 0 { taken += 1 } else { now += wait }
        }
        #expect(taken >= 1000 && taken <= 1011, "\(taken) tokens in 10 s at 100/s")
        #expect(bucket.take(now: now, rate: 100) == 0)  // the token the last wait was for
        #expect(bucket.take(now: now, rate: 100) > 0)
        #expect(bucket.take(now: now + 1, rate: 100) == 0)  // refilled, up to the capacity
    }

    @Test func startsFullAndThenSaysHowLongToWait() {
        var bucket = TokenBucket(capacity: 3)
        #expect((0..<3).map { _ in bucket.take(now: 5, rate: 2) } == [0, 0, 0])
        let wait = bucket.take(now: 5, rate: 2)
        #expect(abs(wait - 0.5) < 1e-9, "one token at 2/s is 0.5 s away, not \(wait)")
        #expect(bucket.take(now: 5.25, rate: 2) > 0)  // half a token is not a token
        #expect(bucket.take(now: 5.5, rate: 2) == 0)
    }

    @Test func savesNoMoreThanItsCapacity() {
        var bucket = TokenBucket(capacity: 4)
        _ = bucket.take(now: 0, rate: 10)
        // An hour idle refills the bucket, but only to its capacity.
        let burst = (0..<10).filter { _ in bucket.take(now: 3600, rate: 10) == 0 }.count
        #expect(burst == 4)
    }

    @Test func aClockThatGoesBackRefillsNothing() {
        var bucket = TokenBucket(capacity: 1)
        #expect(bucket.take(now: 10, rate: 1) == 0)
        #expect(bucket.take(now: 9, rate: 1) > 0)
        #expect(bucket.take(now: 10.5, rate: 1) > 0)  // measured from 10, not from 9
        #expect(bucket.take(now: 11, rate: 1) == 0)
    }

    @Test func aFasterRateShortensTheWait() {
        var slow = TokenBucket(capacity: 1)
        var fast = TokenBucket(capacity: 1)
        _ = slow.take(now: 0, rate: 1)
        _ = fast.take(now: 0, rate: 100)
        #expect(slow.take(now: 0, rate: 1) > fast.take(now: 0, rate: 100))
    }
}
