import Testing
@testable import PermissionMongo

/// The token bucket's arithmetic on an injected clock.
@Suite struct TokenBucketTests {
    let clock = ManualClock()

    func table(perSecond: Double, burst: Int, sweep: Duration = .seconds(10)) -> TokenBucketTable {
        TokenBucketTable(.init(perSecond: perSecond, burst: burst), clock: clock.read, sweepInterval: sweep)
    }

    @Test func aNewBucketIsFullAndTakesUpToItsBurst() {
        let bucket = table(perSecond: 2, burst: 5)
        #expect(bucket.take(3, key: "t") == RateLimitDecision(outcome: .allowed, limit: 5, remaining: 2, resetSeconds: 2))
        #expect(bucket.take(2, key: "t") == RateLimitDecision(outcome: .allowed, limit: 5, remaining: 0, resetSeconds: 3))
        // Empty: 1 token comes back in half a second, so the wait is rounded up to 1 s.
        #expect(bucket.take(1, key: "t") == RateLimitDecision(outcome: .refused(retryAfter: 1), limit: 5, remaining: 0, resetSeconds: 3))
        #expect(bucket.take(5, key: "t").outcome == .refused(retryAfter: 3))
    }

    @Test func aRefusedRequestTakesNothing() {
        let bucket = table(perSecond: 1, burst: 4)
        #expect(bucket.take(3, key: "t").isAllowed)
        #expect(bucket.take(2, key: "t").outcome == .refused(retryAfter: 1))
        #expect(bucket.take(1, key: "t") == RateLimitDecision(outcome: .allowed, limit: 4, remaining: 0, resetSeconds: 4))
    }

    @Test func tokensComeBackWithTimeUpToTheBurst() {
        let bucket = table(perSecond: 10, burst: 20)
        #expect(bucket.take(20, key: "t").isAllowed)
        #expect(!bucket.take(1, key: "t").isAllowed)
        clock.advance(seconds: 0.5)
        #expect(bucket.take(5, key: "t") == RateLimitDecision(outcome: .allowed, limit: 20, remaining: 0, resetSeconds: 2))
        clock.advance(seconds: 3600)
        #expect(bucket.take(0, key: "t") == RateLimitDecision(outcome: .allowed, limit: 20, remaining: 20, resetSeconds: 0))
    }

    @Test func theWaitIsWhatTheMissingTokensTake() {
        let bucket = table(perSecond: 0.5, burst: 10)
        #expect(bucket.take(10, key: "t").isAllowed)
        #expect(bucket.take(3, key: "t").outcome == .refused(retryAfter: 6))
        clock.advance(seconds: 5)
        #expect(bucket.take(3, key: "t").outcome == .refused(retryAfter: 1))
        clock.advance(seconds: 1)
        #expect(bucket.take(3, key: "t").isAllowed)
    }

    @Test func moreThanTheBurstNeverFits() {
        let bucket = table(perSecond: 100, burst: 10)
        #expect(bucket.take(11, key: "t") == RateLimitDecision(outcome: .neverFits, limit: 10, remaining: 10, resetSeconds: 0))
        #expect(bucket.take(10, key: "t").isAllowed)
    }

    @Test func keysHaveBucketsOfTheirOwn() {
        let bucket = table(perSecond: 1, burst: 2)
        #expect(bucket.take(2, key: "a").isAllowed)
        #expect(!bucket.take(1, key: "a").isAllowed)
        #expect(bucket.take(2, key: "b").isAllowed)
    }

    @Test func fullBucketsAreEvictedAndOthersKept() {
        let bucket = table(perSecond: 1, burst: 10, sweep: .seconds(5))
        for index in 0..<100 { _ = bucket.take(1, key: "idle-\(index)") }
        _ = bucket.take(10, key: "busy")
        #expect(bucket.bucketCount == 101)
        // After 6 s the idle buckets are full again (they missed 1 token), "busy" is not
        // (4 of 10): every shard sweeps on its next use.
        clock.advance(seconds: 6)
        for index in 0..<200 { _ = bucket.take(0, key: "probe-\(index)") }
        #expect(bucket.bucketCount == 1 + 200)
        #expect(bucket.take(0, key: "busy").remaining == 6)
        clock.advance(seconds: 60)
        for index in 0..<200 { _ = bucket.take(0, key: "later-\(index)") }
        #expect(bucket.bucketCount <= 200)
    }

    @Test func concurrentTakersNeverGetMoreThanTheBurst() async {
        let bucket = table(perSecond: 1, burst: 500)
        let allowed = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<200).reduce(0) { count, _ in count + (bucket.take(1, key: "t").isAllowed ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(allowed == 500)
    }
}
