import CMongoC
import NIOConcurrencyHelpers

/// A transaction kept open across several awaits, for work that cannot be one synchronous
/// body: a mixed batch runs its operations one after another — each a thread-pool job in
/// this transaction, with hook calls in between — then commits or aborts.
///
/// One owner drives it: `run` jobs execute one at a time on one pooled client. `commit()`
/// or `abort()` ends it and returns the client to the pool (and the transaction gate, when
/// transactions are serialised); until then the client is held. Unlike
/// `MongoClientPool.withTransaction` nothing is retried here: on an error labelled
/// `TransientTransactionError` the owner aborts and starts over.
public final class OpenTransaction: @unchecked Sendable {
    // `@unchecked`: `client` and `session` are only touched under `lock`, one job at a time.
    private let pool: MongoClientPool
    private let lock = NIOLock()
    private var client: OpaquePointer?
    private var session: MongoSession?
    private let holdsGate: Bool

    init(pool: MongoClientPool, client: OpaquePointer, session: MongoSession, holdsGate: Bool) {
        self.pool = pool
        self.client = client
        self.session = session
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
                guard let client, let session else {
                    throw MongoError.closed("the transaction has already ended")
                }
                let connection = MongoConnection(client: client, context: pool.context)
                connection.holdsTransactionGate = true
                defer { connection.invalidate() }
                return try body(connection, session)
            }
        }
    }

    /// Commits (retrying an unknown commit result a few times) and ends the transaction.
    /// On failure it is aborted and ended all the same; `TransientTransactionError`
    /// means the whole work may be run again in a new transaction.
    public func commit() async throws {
        try await pool.threadPool.runIfActive { [self] in
            try lock.withLock {
                defer { release() }
                guard let client, let session else {
                    throw MongoError.closed("the transaction has already ended")
                }
                let connection = MongoConnection(client: client, context: pool.context)
                defer { connection.invalidate() }
                let pointer = try session.livePointer()
                do {
                    _ = try connection.commit(session: pointer, attempt: 1, mayRetry: { $0 < 5 })
                } catch {
                    connection.abortIfOpen(session: pointer)
                    throw error
                }
            }
        }
    }

    /// Aborts the transaction (nothing of it is written) and ends it. Idempotent.
    public func abort() async {
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

    /// Ends the session (aborting an open transaction) and gives the client back. Under `lock`.
    private func release() {
        guard let client else { return }
        session?.end()
        session = nil
        self.client = nil
        mongoc_client_pool_push(pool.pool, client)
        pool.checkIn()
        if holdsGate { pool.context.gate?.leave() }
    }
}

extension MongoClientPool {
    /// Starts a transaction on a client of its own (waiting for the transaction gate first
    /// when transactions are serialised). End it with `commit()` or `abort()`.
    public func beginTransaction(options: TransactionOptions = TransactionOptions()) async throws -> OpenTransaction {
        let gate = context.gate
        await gate?.enter()
        do {
            try await checkOut()
        } catch {
            gate?.leave()
            throw error
        }
        do {
            return try await threadPool.runIfActive { [self] in
                guard let client = mongoc_client_pool_pop(pool) else {
                    throw MongoError(kind: .connection, message: "no MongoDB client available from the pool")
                }
                let connection = MongoConnection(client: client, context: context)
                defer { connection.invalidate() }
                var error = bson_error_t()
                guard let sessionPointer = mongoc_client_start_session(client, nil, &error) else {
                    mongoc_client_pool_push(pool, client)
                    throw connection.error(error, reply: nil)
                }
                let session = MongoSession(pointer: sessionPointer, client: client)
                session.attempt = 1
                let transactionOptions = MongoConnection.makeTransactionOptions(options)
                defer { mongoc_transaction_opts_destroy(transactionOptions) }
                guard mongoc_client_session_start_transaction(sessionPointer, transactionOptions, &error) else {
                    session.end()
                    mongoc_client_pool_push(pool, client)
                    throw connection.error(error, reply: nil)
                }
                return OpenTransaction(pool: self, client: client, session: session, holdsGate: gate != nil)
            }
        } catch {
            checkIn()
            gate?.leave()
            throw error
        }
    }
}
