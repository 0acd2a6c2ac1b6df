import CMongoC
import Logging

/// How `withTransaction` runs and retries.
public struct TransactionOptions: Sendable, Equatable {
    public enum ReadConcern: String, Sendable {
        case snapshot, majority, local
    }

    /// Read concern of the transaction. Writes always use `w: "majority"`.
    public var readConcern: ReadConcern
    /// Total time budget for all attempts and commit retries, like the
    /// drivers' convenient transaction API (120 s).
    public var timeLimit: Duration
    /// Upper bound on runs of the body, and on commit calls per run
    /// (nil: only `timeLimit` bounds retries).
    public var maxAttempts: Int?

    public init(readConcern: ReadConcern = .snapshot, timeLimit: Duration = .seconds(120), maxAttempts: Int? = nil) {
        self.readConcern = readConcern
        self.timeLimit = timeLimit
        self.maxAttempts = maxAttempts
    }
}

/// The value of a committed transaction and how many runs it took.
public struct TransactionResult<Value> {
    public var value: Value
    /// Runs of the body (1 when nothing was retried).
    public var attempts: Int
    /// `commitTransaction` calls in the last attempt (more than 1 after
    /// `UnknownTransactionCommitResult` retries).
    public var commitAttempts: Int
}

extension TransactionResult: Sendable where Value: Sendable {}

extension MongoConnection {
    /// Runs `body` in a transaction on a new session and commits it.
    ///
    /// - An error labelled `TransientTransactionError` (from the body or the
    ///   commit) aborts and reruns the whole body.
    /// - A commit failing with `UnknownTransactionCommitResult` retries the commit.
    /// - Any other error aborts the transaction and is rethrown unchanged.
    /// - Retries stop at `options.timeLimit` / `options.maxAttempts`; the last
    ///   error is then thrown.
    ///
    /// The body may run several times: it must not have side effects outside
    /// the transaction that cannot be repeated. With `serializeTransactions`
    /// on the pool, this blocks the thread until no other transaction runs
    /// (prefer `MongoClientPool.withTransaction`, which waits without blocking).
    public func withTransaction<T>(
        options: TransactionOptions = TransactionOptions(),
        _ body: (MongoSession) throws -> T
    ) throws -> TransactionResult<T> {
        if let gate = context.gate, !holdsTransactionGate {
            gate.enterBlocking()
            holdsTransactionGate = true
            defer {
                holdsTransactionGate = false
                gate.leave()
            }
            return try runTransaction(options: options, body)
        }
        return try runTransaction(options: options, body)
    }

    private func runTransaction<T>(
        options: TransactionOptions, _ body: (MongoSession) throws -> T
    ) throws -> TransactionResult<T> {
        let client = try liveClient()
        var error = bson_error_t()
        guard let sessionPointer = mongoc_client_start_session(client, nil, &error) else {
            throw self.error(error, reply: nil)
        }
        let session = MongoSession(pointer: sessionPointer, client: client)
        defer { session.end() }

        let transactionOptions = Self.makeTransactionOptions(options)
        defer { mongoc_transaction_opts_destroy(transactionOptions) }

        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: options.timeLimit)
        func mayRetry(after attempt: Int) -> Bool {
            clock.now < deadline && (options.maxAttempts.map { attempt < $0 } ?? true)
        }
        let logger = context.logger

        var attempt = 0
        attempts: while true {
            attempt += 1
            session.attempt = attempt
            guard mongoc_client_session_start_transaction(sessionPointer, transactionOptions, &error) else {
                throw self.error(error, reply: nil)
            }

            let value: T
            do {
                value = try body(session)
            } catch let failure {
                abortIfOpen(session: sessionPointer)
                if let mongoError = failure as? MongoError, mongoError.isTransientTransactionError, mayRetry(after: attempt) {
                    logger.notice("MongoDB transaction retried after transient error", metadata: [
                        "mongodb.attempt": "\(attempt)", "mongodb.code": "\(mongoError.code)",
                    ])
                    continue attempts
                }
                throw failure
            }

            let commitAttempts: Int
            do {
                commitAttempts = try commit(session: sessionPointer, attempt: attempt, mayRetry: { mayRetry(after: $0) })
            } catch let failure as MongoError where failure.isTransientTransactionError && mayRetry(after: attempt) {
                logger.notice("MongoDB transaction retried after transient commit error", metadata: [
                    "mongodb.attempt": "\(attempt)", "mongodb.code": "\(failure.code)",
                ])
                continue attempts
            }
            if attempt > 1 || commitAttempts > 1 {
                logger.debug("MongoDB transaction committed", metadata: [
                    "mongodb.attempts": "\(attempt)", "mongodb.commitAttempts": "\(commitAttempts)",
                ])
            }
            return TransactionResult(value: value, attempts: attempt, commitAttempts: commitAttempts)
        }
    }

    /// Commits the session's transaction, retrying on `UnknownTransactionCommitResult`
    /// while `mayRetry(commitAttempts)`; returns how many commit calls it took. Other
    /// failures are thrown (a `TransientTransactionError` means: run the body again).
    func commit(session: OpaquePointer, attempt: Int, mayRetry: (Int) -> Bool) throws -> Int {
        var error = bson_error_t()
        var commitAttempts = 0
        while true {
            commitAttempts += 1
            let reply = ReplyBSON()
            if mongoc_client_session_commit_transaction(session, reply.pointer, &error) {
                return commitAttempts
            }
            let failure = self.error(error, reply: reply.pointer)
            // MaxTimeMSExpired (50) on commit is final, as in the drivers.
            if failure.hasLabel(MongoError.unknownTransactionCommitResult), failure.code != 50,
               mayRetry(commitAttempts) {
                context.logger.notice("MongoDB transaction commit retried (unknown commit result)", metadata: [
                    "mongodb.attempt": "\(attempt)", "mongodb.commitAttempt": "\(commitAttempts)",
                ])
                continue
            }
            throw failure
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

    static func makeTransactionOptions(_ options: TransactionOptions) -> OpaquePointer {
        let transactionOptions = mongoc_transaction_opts_new()!
        let readConcern = mongoc_read_concern_new()!
        _ = mongoc_read_concern_set_level(readConcern, options.readConcern.rawValue)
        mongoc_transaction_opts_set_read_concern(transactionOptions, readConcern)
        mongoc_read_concern_destroy(readConcern)
        let writeConcern = mongoc_write_concern_new()!
        mongoc_write_concern_set_wmajority(writeConcern, 0)
        mongoc_transaction_opts_set_write_concern(transactionOptions, writeConcern)
        mongoc_write_concern_destroy(writeConcern)
        return transactionOptions
    }
}
