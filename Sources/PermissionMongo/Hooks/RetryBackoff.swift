/// Exponential backoff for post-hook deliveries: after the n-th failed attempt wait
/// `initial × 2^(n-1)`, capped at `max`, less up to 20 % jitter so receivers that come
/// back are not hit by every delivery at once.
struct RetryBackoff: Sendable {
    var settings: HookDeliverySettings

    /// Milliseconds to wait after `attempts` failed attempts (1 = the first one failed).
    func delayMs(afterAttempts attempts: Int) -> Int {
        var base = settings.initialBackoffMs
        for _ in 1..<max(attempts, 1) where base < settings.maxBackoffMs { base *= 2 }
        base = min(base, settings.maxBackoffMs)
        let jitter = base / 5
        return base - (jitter > 0 ? Int.random(in: 0...jitter) : 0)
    }

    /// Whether a delivery that has failed `attempts` times is given up.
    func isExhausted(afterAttempts attempts: Int) -> Bool {
        attempts >= settings.maxAttempts
    }
}
