/// What a token bucket answered to one request for tokens, and its state after it: what
/// the `X-RateLimit-*` headers and a 429 tell the client (docs/API.md, "Rate limits").
struct RateLimitDecision: Sendable, Equatable {
    enum Outcome: Sendable, Equatable {
        case allowed
        /// Not now: the tokens are there again after `retryAfter` seconds (at least 1).
        case refused(retryAfter: Int)
        /// More tokens than the bucket can ever hold: no wait helps.
        case neverFits
    }

    var outcome: Outcome
    /// The bucket's capacity (the `burst`): `X-RateLimit-Limit`.
    var limit: Int
    /// Whole tokens left after this request: `X-RateLimit-Remaining`.
    var remaining: Int
    /// Seconds until the bucket is full again: `X-RateLimit-Reset`.
    var resetSeconds: Int

    var isAllowed: Bool { outcome == .allowed }
}
