/// A token bucket: it holds at most `capacity` tokens, gains `perSecond` tokens a second,
/// and a request for `count` tokens takes them all or none. Time is given, in nanoseconds
/// of a monotonic clock, so that the arithmetic is testable without waiting.
struct TokenBucket: Sendable {
    let perSecond: Double
    let capacity: Double
    private(set) var tokens: Double
    private(set) var updatedAt: UInt64

    /// Rounding slack: a bucket that refilled to 4.9999999999 of 5 tokens has 5.
    private static let slack = 1e-9

    /// A full bucket.
    init(perSecond: Double, capacity: Int, now: UInt64) {
        self.perSecond = perSecond
        self.capacity = Double(capacity)
        tokens = Double(capacity)
        updatedAt = now
    }

    /// Takes `count` tokens if the bucket holds them (after refilling to `now`).
    mutating func take(_ count: Int, now: UInt64) -> RateLimitDecision {
        refill(now: now)
        let wanted = Double(count)
        if wanted > capacity {
            return RateLimitDecision(outcome: .neverFits, limit: Int(capacity), remaining: remaining, resetSeconds: resetSeconds)
        }
        if tokens + Self.slack >= wanted {
            tokens = max(0, tokens - wanted)
            return RateLimitDecision(outcome: .allowed, limit: Int(capacity), remaining: remaining, resetSeconds: resetSeconds)
        }
        let wait = max(1, Self.wholeSeconds((wanted - tokens) / perSecond))
        return RateLimitDecision(
            outcome: .refused(retryAfter: wait), limit: Int(capacity), remaining: remaining, resetSeconds: resetSeconds)
    }

    /// Whether the bucket is full again at `now`: then it says nothing a new bucket would not.
    func isFull(at now: UInt64) -> Bool {
        var copy = self
        copy.refill(now: now)
        return copy.tokens + Self.slack >= capacity
    }

    private mutating func refill(now: UInt64) {
        guard now > updatedAt else { return }
        tokens = min(capacity, tokens + Double(now - updatedAt) / 1e9 * perSecond)
        updatedAt = now
    }

    /// Whole tokens left.
    private var remaining: Int { Int((tokens + Self.slack).rounded(.down)) }

    /// Seconds until the bucket is full again.
    private var resetSeconds: Int { Self.wholeSeconds((capacity - tokens) / perSecond) }

    /// `seconds` rounded up to a whole number (rounding slack ignored).
    private static func wholeSeconds(_ seconds: Double) -> Int {
        seconds <= slack ? 0 : Int((seconds - slack).rounded(.up))
    }
}
