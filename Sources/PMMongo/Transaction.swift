import CMongoC
import Logging

/// How `withTransaction` runs and retries.
public struct TransactionOptions: Sendable, Equatable {
    public enum ReadConcern: String, Sendable {
        case snapshot, majority, local
    }

    /// Read concern of the transaction. Commits use the pool's write concern.
    public var readConcern: ReadConcern
    /// Upper bound on runs of the body, and on commit calls per run, within the retry
    /// budget (nil: only the budget bounds retries). For bodies with side effects a retry
    /// repeats, such as calls to other services.
    public var maxAttempts: Int?

    public init(readConcern: ReadConcern = .snapshot, maxAttempts: Int? = nil) {
        self.readConcern = readConcern
        self.maxAttempts = maxAttempts
    }
}

/// How a transaction body wants its transaction ended, with the value it produced.
public enum TransactionEnd<Value: Sendable>: Sendable {
    case commit(Value)
    /// Nothing of the transaction is written (a dry run, or work that failed as a whole).
    case abort(Value)
}

/// The value of a finished transaction and how many runs it took.
public struct TransactionResult<Value> {
    public var value: Value
    /// Runs of the body (1 when nothing was retried).
    public var attempts: Int
    /// `commitTransaction` calls in the last attempt (more than 1 after
    /// `UnknownTransactionCommitResult` retries; 0 when the body chose to abort).
    public var commitAttempts: Int
}

extension TransactionResult: Sendable where Value: Sendable {}

extension MongoClientPool {
    /// Runs `body` in a new transaction (`beginTransaction`) and ends it as the body says.
    ///
    /// - A transient error (`MongoError.isTransient`: labelled `TransientTransactionError`,
    ///   from the body or the commit) aborts and reruns the whole body in a new transaction.
    /// - A commit failing with `UnknownTransactionCommitResult` is committed again.
    /// - Any other error aborts the transaction and is rethrown unchanged.
    /// - Each rerun of the body is reported to the pool's `MongoPoolObserver`.
    /// - Retries wait a backoff with jitter and stop when the retry budget is spent
    ///   (`RetryBudget.current`, else the pool's `MongoPoolOptions.retryBudgetMS`) or at
    ///   `options.maxAttempts`; the last error is then thrown. Cancellation stops them too.
    ///
    /// The body may run several times: it must not have side effects outside the
    /// transaction that cannot be repeated.
    public func withTransaction<T: Sendable>(
        options: TransactionOptions = TransactionOptions(),
        _ body: (OpenTransaction) async throws -> TransactionEnd<T>
    ) async throws -> TransactionResult<T> {
        let budget = retryBudget
        let mayRetry = { (attempt: Int) -> Duration? in
            guard options.maxAttempts.map({ attempt < $0 }) ?? true else { return nil }
            return budget.delay(afterFailures: attempt)
        }
        let logger = context.logger
        var attempt = 0
        while true {
            attempt += 1
            let transaction = try await beginTransaction(options: options, attempt: attempt)
            let delay: Duration
            do {
                switch try await body(transaction) {
                case .abort(let value):
                    await transaction.abort()
                    return TransactionResult(value: value, attempts: attempt, commitAttempts: 0)
                case .commit(let value):
                    let commits = try await commit(transaction, attempt: attempt, mayRetry: mayRetry)
                    return TransactionResult(value: value, attempts: attempt, commitAttempts: commits)
                }
            } catch let error as MongoError where error.isTransient {
                await transaction.abort()
                guard let wait = mayRetry(attempt) else { throw error }
                logger.notice("MongoDB transaction retried after transient error", metadata: [
                    "mongodb.attempt": "\(attempt)", "mongodb.code": "\(error.code)", "mongodb.delay": "\(wait)",
                ])
                context.observer?.transactionRetried()
                delay = wait
            } catch {
                await transaction.abort()
                throw error
            }
            try await Task.sleep(for: delay)
        }
    }

    /// Commits, again after each `UnknownTransactionCommitResult` while `mayRetry(commit calls)`
    /// gives a wait; returns how many commit calls it took.
    private func commit(
        _ transaction: OpenTransaction, attempt: Int, mayRetry: (Int) -> Duration?
    ) async throws -> Int {
        var commits = 0
        while true {
            commits += 1
            do {
                try await transaction.commit()
                if attempt > 1 || commits > 1 {
                    context.logger.debug("MongoDB transaction committed", metadata: [
                        "mongodb.attempts": "\(attempt)", "mongodb.commitAttempts": "\(commits)",
                    ])
                }
                return commits
            } catch let error as MongoError where error.hasLabel(MongoError.unknownTransactionCommitResult)
                && error.code != 50 && !error.isServerSelectionFailure {
                // MaxTimeMSExpired (50) on commit is final, as in the drivers.
                guard let delay = mayRetry(commits) else { throw error }
                context.logger.notice("MongoDB transaction commit retried (unknown commit result)", metadata: [
                    "mongodb.attempt": "\(attempt)", "mongodb.commitAttempt": "\(commits)",
                ])
                try await Task.sleep(for: delay)
            }
        }
    }
}

extension MongoConnection {
    /// One `commitTransaction` of the session's transaction.
    func commitTransaction(session: OpaquePointer) throws {
        var error = bson_error_t()
        let reply = ReplyBSON()
        guard mongoc_client_session_commit_transaction(session, reply.pointer, &error) else {
            throw self.error(error, reply: reply.pointer)
        }
    }

    func abortIfOpen(session: OpaquePointer) {
        guard mongoc_client_session_in_transaction(session) else { return }
        var error = bson_error_t()
        if !mongoc_client_session_abort_transaction(session, &error) {
            context.logger.debug("MongoDB abortTransaction failed", metadata: [
                "mongodb.error": "\(self.error(error, reply: nil).message)",
            ])
        }
    }

    static func makeTransactionOptions(_ options: TransactionOptions, context: PoolContext) -> OpaquePointer {
        let transactionOptions = mongoc_transaction_opts_new()!
        let readConcern = mongoc_read_concern_new()!
        _ = mongoc_read_concern_set_level(readConcern, options.readConcern.rawValue)
        mongoc_transaction_opts_set_read_concern(transactionOptions, readConcern)
        mongoc_read_concern_destroy(readConcern)
        if mongoc_write_concern_is_default(context.writeConcern.pointer) {
            // No write concern configured: commits still wait for a majority.
            let writeConcern = mongoc_write_concern_new()!
            mongoc_write_concern_set_wmajority(writeConcern, 0)
            mongoc_transaction_opts_set_write_concern(transactionOptions, writeConcern)
            mongoc_write_concern_destroy(writeConcern)
        } else {
            mongoc_transaction_opts_set_write_concern(transactionOptions, context.writeConcern.pointer)
        }
        if let maxTimeMS = context.maxTimeMS {
            mongoc_transaction_opts_set_max_commit_time_ms(transactionOptions, Int64(maxTimeMS))
        }
        return transactionOptions
    }
}
