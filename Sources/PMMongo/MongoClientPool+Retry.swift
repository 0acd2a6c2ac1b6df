extension MongoClientPool {
    /// The budget a retry loop spends: the one bound to the task (`RetryBudget.current`),
    /// else a new one of `MongoPoolOptions.retryBudgetMS`.
    var retryBudget: RetryBudget { RetryBudget.current ?? RetryBudget(limit: context.retryBudget) }

    /// `operation`, run again after each transient error (`MongoError.isTransient`) after a
    /// backoff, while the retry budget lasts; then its last error is thrown. For single
    /// operations outside any transaction (a transaction is retried as a whole by
    /// `withTransaction`): a transient error means the operation was not applied.
    public func retryingTransientErrors<T: Sendable>(_ operation: () async throws -> T) async throws -> T {
        let budget = retryBudget
        var failures = 0
        while true {
            do {
                return try await operation()
            } catch let error as MongoError where error.isTransient {
                failures += 1
                guard let delay = budget.delay(afterFailures: failures) else { throw error }
                context.logger.notice("MongoDB operation retried after transient error", metadata: [
                    "mongodb.attempt": "\(failures)", "mongodb.code": "\(error.code)", "mongodb.delay": "\(delay)",
                ])
                try await Task.sleep(for: delay)
            }
        }
    }
}
