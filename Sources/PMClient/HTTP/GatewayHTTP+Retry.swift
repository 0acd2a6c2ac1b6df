extension GatewayHTTP {
    /// The final answer to a request sent up to `1 + policy.retries` times.
    public struct RetriedReply: Sendable {
        /// The last answer, or why there was none.
        public var result: Result<GatewayReply, ClientError>
        /// Sends made, the first included.
        public var attempts: Int
        /// Set when the last result is still not final: the retries ran out.
        public var gaveUpBecause: String?
    }

    /// A retry about to be waited for: which one (1 for the first), after how many seconds, why.
    public typealias RetryNotice = @Sendable (_ retry: Int, _ delay: Double, _ reason: String) -> Void

    /// Sends `body` with the same `Idempotency-Key` until the answer is final (see
    /// `RetryPolicy.retryReason`) or the retries run out, waiting as `policy` says between.
    public func sendRetrying(
        _ method: String, _ path: String, json body: [UInt8], key: IdempotencyKey, policy: RetryPolicy,
        onRetry: RetryNotice = { _, _, _ in }
    ) async -> RetriedReply {
        var attempts = 0
        while true {
            attempts += 1
            let result: Result<GatewayReply, ClientError>
            do {
                result = .success(try await send(method, path, json: body, headers: [key.header]))
            } catch {
                result = .failure(error)
            }
            guard let reason = RetryPolicy.retryReason(result) else {
                return RetriedReply(result: result, attempts: attempts, gaveUpBecause: nil)
            }
            let retry = attempts
            guard retry <= policy.retries else {
                return RetriedReply(result: result, attempts: attempts, gaveUpBecause: reason)
            }
            let retryAfter: Double? = if case .success(let reply) = result { reply.retryAfterSeconds } else { nil }
            let delay = policy.delay(beforeRetry: retry, retryAfter: retryAfter, jitter: Double.random(in: 0...1))
            onRetry(retry, delay, reason)
            try? await Task.sleep(for: .milliseconds(Int((delay * 1000).rounded())))
        }
    }
}
