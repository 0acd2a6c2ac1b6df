import NIOConcurrencyHelpers

/// How long transient errors may be retried, and how long to wait between attempts.
///
/// The clock starts at the first failure reported to the budget; no attempt starts once
/// `limit` has passed since. Every retry loop that runs under one budget shares it
/// (`RetryBudget.current`: the gateway binds one per request), so a request that meets
/// transient errors on several of its operations spends `limit` in all, not per operation.
/// Attempts are spaced by exponential backoff (`initialBackoff`, doubling, at most
/// `maxBackoff`) with jitter: each wait is drawn between half and all of its step, so
/// concurrent requests that failed together do not retry together.
public final class RetryBudget: Sendable {
    /// The budget the retry loops of the current task share; nil: each loop takes one of
    /// its pool's `MongoPoolOptions.retryBudgetMS`.
    @TaskLocal public static var current: RetryBudget?

    public static let initialBackoff: Duration = .milliseconds(10)
    public static let maxBackoff: Duration = .seconds(1)

    public let limit: Duration
    private let firstFailure = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    public init(limit: Duration) {
        self.limit = limit
    }

    /// The wait before the next attempt of a loop whose last `failures` attempts failed
    /// (1 after the first failure), cut to what is left of the budget; nil when the budget
    /// is spent and the last error is final.
    public func delay(afterFailures failures: Int) -> Duration? {
        let now = ContinuousClock.now
        let started = firstFailure.withLockedValue { first in
            if first == nil { first = now }
            return first!
        }
        let left = limit - (now - started)
        guard left > .zero else { return nil }
        return min(Self.jittered(step: Self.step(afterFailures: failures)), left)
    }

    /// `initialBackoff × 2^(failures-1)`, at most `maxBackoff`.
    static func step(afterFailures failures: Int) -> Duration {
        var step = initialBackoff
        for _ in 1..<max(failures, 1) where step < maxBackoff { step *= 2 }
        return min(step, maxBackoff)
    }

    /// A wait drawn between half of `step` and all of it.
    static func jittered(step: Duration) -> Duration {
        step * Double.random(in: 0.5...1)
    }
}
