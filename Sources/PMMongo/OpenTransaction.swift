import CMongoC
import NIOConcurrencyHelpers

/// A transaction kept open across several awaits, for work that cannot be one synchronous
/// body: a mixed batch runs its operations one after another — each a thread-pool job in
/// this transaction, with hook calls in between — then commits or aborts.
///
/// One owner drives it: `run` jobs execute one at a time on one pooled client, popped and
/// put in a new session's transaction by the first job. `commit()` or `abort()` ends it
/// and gives back the client and its permit (and the transaction gate, when transactions
/// are serialised); until then they are held. Nothing is retried here:
/// `MongoClientPool.withTransaction` runs the work again after `TransientTransactionError`
/// and commits again after `UnknownTransactionCommitResult`.
public final class OpenTransaction: @unchecked Sendable {
    // `@unchecked`: `client`, `session` and `ended` are only touched under `lock`, one job at a time.
    private let pool: MongoClientPool
    private let options: TransactionOptions
    private let attempt: Int
    private let holdsGate: Bool
    private let lock = NIOLock()
    private var client: OpaquePointer?
    private var session: MongoSession?
    private var ended = false
    /// A commit made by `runAndCommit`'s job, for the next `commit()` to report.
    private var commitInJob: Result<Void, Error>?

    init(pool: MongoClientPool, options: TransactionOptions, attempt: Int, holdsGate: Bool) {
        self.pool = pool
        self.options = options
        self.attempt = attempt
        self.holdsGate = holdsGate
    }

    deinit {
        // Only reached when the owner forgot to end it: give everything back.
        lock.withLock { release() }
    }

    /// Runs `body` in the transaction on the thread pool.
    public func run<T: Sendable>(
        _ body: @escaping @Sendable (MongoConnection, MongoSession) throws -> T
    ) async throws -> T {
        try await pool.threadPool.runIfActive { [self] in
            try lock.withLock {
                let (connection, session) = try started()
                defer { connection.invalidate() }
                return try body(connection, session)
            }
        }
    }

    /// Runs `body` and, when it asks for a commit, commits in the same thread-pool job: a
    /// transaction whose work is one synchronous body then costs one trip to the thread pool
    /// instead of two. The commit's outcome is kept for the owner's next `commit()`, which
    /// reports it (returns, or throws the commit's error) without committing again; after a
    /// failure the transaction is open, as after a failed `commit()`. The owner must end
    /// the transaction as the returned value says.
    public func runAndCommit<T: Sendable>(
        _ body: @escaping @Sendable (MongoConnection, MongoSession) throws -> TransactionEnd<T>
    ) async throws -> TransactionEnd<T> {
        let fence = WriteFence.current
        return try await pool.threadPool.runIfActive { [self] in
            try lock.withLock {
                let (connection, session) = try started()
                defer { connection.invalidate() }
                let end = try body(connection, session)
                if case .commit = end {
                    commitInJob = Result { try commitNow(on: connection, session: session, fence: fence) }
                }
                return end
            }
        }
    }

    /// One `commitTransaction`; success ends the transaction. A failure leaves it open:
    /// the owner commits again (`UnknownTransactionCommitResult`) or aborts. The commit is
    /// admitted by the task's `WriteFence` (when one is bound) once a server is selected;
    /// a sealed fence refuses it, and nothing of the transaction is written.
    public func commit() async throws {
        let earlier = lock.withLock { () -> Result<Void, Error>? in
            defer { commitInJob = nil }
            return commitInJob
        }
        if let earlier { return try earlier.get() }
        if lock.withLock({ endIfNeverStarted() }) { return }
        let fence = WriteFence.current
        try await pool.threadPool.runIfActive { [self] in
            try lock.withLock {
                guard !ended, let client, let session else {
                    throw MongoError.closed("the transaction has already ended")
                }
                let connection = MongoConnection(client: client, context: pool.context)
                defer { connection.invalidate() }
                try commitNow(on: connection, session: session, fence: fence)
            }
        }
    }

    /// Commits on the transaction's connection and ends it. Under `lock`, in a thread-pool job.
    private func commitNow(on connection: MongoConnection, session: MongoSession, fence: WriteFence?) throws {
        if let fence {
            try connection.selectWritableServer()
            try fence.admitWrite()
        }
        try connection.commitTransaction(session: session.livePointer())
        release()
    }

    /// Aborts the transaction (nothing of it is written) and ends it. Idempotent.
    public func abort() async {
        if lock.withLock({ endIfNeverStarted() }) { return }
        do {
            try await pool.threadPool.runIfActive { [self] in
                lock.withLock {
                    if let client, let session, let pointer = try? session.livePointer() {
                        let connection = MongoConnection(client: client, context: pool.context)
                        connection.abortIfOpen(session: pointer)
                        connection.invalidate()
                    }
                    release()
                }
            }
        } catch {
            // The thread pool is gone (shutdown): end it here.
            lock.withLock { release() }
        }
    }

    /// The connection and the session in its transaction, started by the first job. Under `lock`.
    private func started() throws -> (MongoConnection, MongoSession) {
        guard !ended else { throw MongoError.closed("the transaction has already ended") }
        if client == nil {
            guard let popped = mongoc_client_pool_pop(pool.pool) else {
                throw MongoError(kind: .connection, message: "no MongoDB client available from the pool")
            }
            client = popped
        }
        guard let client else { throw MongoError.closed("the transaction has already ended") }
        let connection = MongoConnection(client: client, context: pool.context)
        if let session { return (connection, session) }
        var error = bson_error_t()
        guard let pointer = mongoc_client_start_session(client, nil, &error) else {
            throw connection.error(error, reply: nil)
        }
        let session = MongoSession(pointer: pointer, client: client)
        session.attempt = attempt
        let transactionOptions = MongoConnection.makeTransactionOptions(options, context: pool.context)
        defer { mongoc_transaction_opts_destroy(transactionOptions) }
        guard mongoc_client_session_start_transaction(pointer, transactionOptions, &error) else {
            session.end()
            throw connection.error(error, reply: nil)
        }
        self.session = session
        return (connection, session)
    }

    /// Ends a transaction no job has started: nothing to commit or abort. Under `lock`.
    private func endIfNeverStarted() -> Bool {
        guard !ended, session == nil else { return false }
        release()
        return true
    }

    /// Ends the session (aborting an open transaction) and gives the client back. Under `lock`.
    private func release() {
        guard !ended else { return }
        ended = true
        session?.end()
        session = nil
        if let client { mongoc_client_pool_push(pool.pool, client) }
        client = nil
        pool.checkIn()
        if holdsGate { pool.context.gate?.leave() }
    }
}

extension MongoClientPool {
    /// Starts a transaction that takes one of the pool's clients (waiting for the
    /// transaction gate first when transactions are serialised). End it with `commit()` or
    /// `abort()`.
    public func beginTransaction(options: TransactionOptions = TransactionOptions()) async throws -> OpenTransaction {
        try await beginTransaction(options: options, attempt: 1)
    }

    func beginTransaction(options: TransactionOptions, attempt: Int) async throws -> OpenTransaction {
        let gate = context.gate
        await gate?.enter()
        do {
            try await checkOut()
        } catch {
            gate?.leave()
            throw error
        }
        return OpenTransaction(pool: self, options: options, attempt: attempt, holdsGate: gate != nil)
    }
}
