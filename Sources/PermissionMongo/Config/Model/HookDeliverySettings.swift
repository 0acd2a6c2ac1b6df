/// How post-hook deliveries are retried (`server.hook_max_attempts`,
/// `server.hook_retry_initial_ms`, `server.hook_retry_max_ms`).
public struct HookDeliverySettings: Sendable, Equatable {
    /// Attempts before a delivery is marked dead (the first one included).
    public var maxAttempts: Int
    /// Wait before the second attempt; doubles with every failure …
    public var initialBackoffMs: Int
    /// … up to this.
    public var maxBackoffMs: Int

    public init(maxAttempts: Int = 12, initialBackoffMs: Int = 1000, maxBackoffMs: Int = 300_000) {
        self.maxAttempts = maxAttempts
        self.initialBackoffMs = initialBackoffMs
        self.maxBackoffMs = maxBackoffMs
    }
}
