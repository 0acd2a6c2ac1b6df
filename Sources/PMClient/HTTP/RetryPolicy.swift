import Foundation

/// Which answers to a write sent with an `Idempotency-Key` are worth sending again (with
/// the same key and body, so nothing is written twice) and how long to wait before each
/// retry: exponential backoff with jitter, never shorter than the answer's `Retry-After`,
/// never longer than `maxDelay`. See docs/API.md, "Client commands".
public struct RetryPolicy: Sendable, Equatable {
    /// Sends after the first one.
    public var retries: Int
    /// Seconds before the first retry; each later one waits twice as long.
    public var baseDelay: Double
    /// No wait is longer than this, whatever the backoff or `Retry-After` say.
    public var maxDelay: Double

    public static let defaultRetries = 5
    public static let defaultBaseDelay = 0.5
    public static let defaultMaxDelay = 30.0

    public init(retries: Int = defaultRetries, baseDelay: Double = defaultBaseDelay, maxDelay: Double = defaultMaxDelay) {
        self.retries = retries
        self.baseDelay = baseDelay
        self.maxDelay = max(maxDelay, baseDelay)
    }

    /// Why `result` is not final and the request should be sent again, or `nil` when it is
    /// final: no answer at all (timeout, connection refused or lost), any 5xx (`unavailable`,
    /// `outcome_unknown`, `timeout`, `internal`, a proxy's 502), 409 `idempotency_in_progress`
    /// and 429. A refused token and every other answer are final.
    public static func retryReason(_ result: Result<GatewayReply, ClientError>) -> String? {
        switch result {
        case .failure(let error):
            switch error {
            case .timeout, .transport, .unreachable: return error.description
            default: return nil
            }
        case .success(let reply):
            let code = reply.errorEnvelope?.code
            let retryable = (500...599).contains(reply.status) || reply.status == 429
                || (reply.status == 409 && code == "idempotency_in_progress")
            guard retryable else { return nil }
            if let envelope = reply.errorEnvelope { return "\(reply.status) \(envelope.code): \(envelope.message)" }
            return "\(reply.status) \(reply.excerpt)"
        }
    }

    /// Seconds to wait before retry number `retry` (1 for the first): `baseDelay · 2^(retry-1)`
    /// scaled by `jitter` into its upper half (`jitter` in 0...1, random in use), at least
    /// `retryAfter`, at most `maxDelay`.
    public func delay(beforeRetry retry: Int, retryAfter: Double? = nil, jitter: Double) -> Double {
        let exponent = Double(min(max(retry - 1, 0), 60))
        let backoff = min(maxDelay, baseDelay * pow(2, exponent))
        let jittered = backoff * (0.5 + 0.5 * min(max(jitter, 0), 1))
        return min(maxDelay, max(jittered, retryAfter ?? 0))
    }
}
