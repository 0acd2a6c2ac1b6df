import CMongoC
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// The process-wide libmongoc initialisation (`mongoc_init`), done once.
enum MongoDriver {
    private static let initialized: Bool = {
        mongoc_init()
        DriverLog.install()
        return true
    }()

    static func initialize() {
        _ = initialized
    }
}

/// What a connection needs from its pool; immutable and Sendable.
struct PoolContext: Sendable {
    let database: String
    let redactor: Redactor
    let logger: Logger
    let gate: TransactionGate?
    /// `maxTimeMS` of finds and counts; `maxCommitTimeMS` of commits.
    let maxTimeMS: Int?
    /// The clients' write concern, also that of every transaction commit.
    let writeConcern: WriteConcernHandle
    /// The limit of a retry loop's budget when none is bound (`RetryBudget.current`).
    let retryBudget: Duration
    /// Told of waits for a client and of transaction reruns.
    let observer: (any MongoPoolObserver)?
}

/// A thread-safe pool of libmongoc clients (`mongoc_client_pool_t`).
///
/// Every blocking driver call runs on the given `NIOThreadPool`, never on an
/// event loop: `withConnection` pops a client inside one thread-pool job,
/// runs the body with it and pushes it back.
public final class MongoClientPool: @unchecked Sendable {
    // `@unchecked`: `pool` is a mongoc_client_pool_t, documented thread-safe for
    // pop/push; its destruction is guarded by `state`.
    let pool: OpaquePointer
    private let state = NIOLockedValueBox(State())
    let threadPool: NIOThreadPool
    /// One per client: jobs wait for a client here, not in a blocked thread.
    let permits: ClientPermits
    let context: PoolContext

    /// The default database for operations (`MongoConnection.database`).
    public var database: String { context.database }
    /// The connection string with credentials replaced by `***`, safe to log.
    public let redactedURI: String
    /// The write concern of every write and commit: the connection string's, else
    /// `MongoPoolOptions.writeConcern`; nil for the driver's default.
    public var writeConcern: MongoWriteConcern? { MongoWriteConcern(handle: context.writeConcern.pointer) }
    /// Whether transactions run one at a time (see `init`).
    public var serializesTransactions: Bool { context.gate != nil }

    private struct State {
        var closed = false
        var destroyed = false
        var checkedOut = 0
    }

    /// - Parameters:
    ///   - uri: MongoDB connection string. Invalid → `MongoError(kind: .invalidURI)`,
    ///     whose message never contains the credentials.
    ///   - database: default database for operations.
    ///   - maxPoolSize: maximum number of clients (connections per server).
    ///   - serializeTransactions: run at most one transaction at a time
    ///     (for backends that cannot run transactions concurrently).
    ///   - appName: client metadata application name (server logs, `$currentOp`,
    ///     `failCommand` `appName` filters).
    ///   - options: write concern and time limits (what the connection string leaves out).
    ///   - threadPool: a started thread pool for the blocking driver calls.
    ///   - observer: told of waits for a client and of transaction reruns (for metrics).
    public init(
        uri: String,
        database: String,
        maxPoolSize: Int = 100,
        serializeTransactions: Bool = false,
        appName: String = "permission-mongo",
        options: MongoPoolOptions = MongoPoolOptions(),
        threadPool: NIOThreadPool,
        logger: Logger,
        observer: (any MongoPoolObserver)? = nil
    ) throws {
        MongoDriver.initialize()
        let redactor = Redactor(uri: uri)
        DriverLog.register(redactor)
        guard !database.isEmpty, !database.contains(where: { "/\\. \"$\0".contains($0) }) else {
            throw MongoError(kind: .invalidArgument, message: "invalid database name '\(database)'")
        }
        guard maxPoolSize > 0, maxPoolSize <= Int(Int32.max) else {
            throw MongoError(kind: .invalidArgument, message: "maxPoolSize must be positive, got \(maxPoolSize)")
        }

        var error = bson_error_t()
        guard let parsed = mongoc_uri_new_with_error(uri, &error) else {
            let driverError = MongoError(error, reply: nil, redactor: redactor)
            throw MongoError(
                kind: .invalidURI, domain: driverError.domain, code: driverError.code,
                message: "invalid MongoDB connection string: \(driverError.message)"
            )
        }
        defer { mongoc_uri_destroy(parsed) }
        _ = mongoc_uri_set_option_as_int32(parsed, "maxPoolSize", Int32(maxPoolSize))
        options.apply(to: parsed)
        let writeConcern = WriteConcernHandle(copyOf: mongoc_uri_get_write_concern(parsed))

        guard let pool = mongoc_client_pool_new_with_error(parsed, &error) else {
            let driverError = MongoError(error, reply: nil, redactor: redactor)
            throw MongoError(
                kind: .invalidURI, domain: driverError.domain, code: driverError.code,
                message: "cannot use MongoDB connection string: \(driverError.message)"
            )
        }
        _ = mongoc_client_pool_set_error_api(pool, Int32(MONGOC_ERROR_API_VERSION_2))
        _ = mongoc_client_pool_set_appname(pool, appName)

        self.pool = pool
        self.threadPool = threadPool
        self.permits = ClientPermits(count: maxPoolSize)
        self.redactedURI = Redactor.redact(uri)
        var logger = logger
        logger[metadataKey: "mongodb.database"] = "\(database)"
        self.context = PoolContext(
            database: database, redactor: redactor, logger: logger,
            gate: serializeTransactions ? TransactionGate() : nil,
            maxTimeMS: options.maxTimeMS, writeConcern: writeConcern,
            retryBudget: options.retryBudget, observer: observer
        )
        logger.debug("MongoDB client pool created", metadata: [
            "mongodb.uri": "\(redactedURI)", "mongodb.maxPoolSize": "\(maxPoolSize)",
            "mongodb.writeConcern": "\(MongoWriteConcern(handle: writeConcern.pointer)?.description ?? "driver default")",
        ])
    }

    deinit {
        // No job can be running: every job holds a strong reference to self.
        let destroy = state.withLockedValue { state -> Bool in
            defer { state.destroyed = true }
            return !state.destroyed
        }
        if destroy { mongoc_client_pool_destroy(pool) }
    }

    /// Runs `body` on the thread pool with a client popped from the pool.
    /// The connection is only valid inside `body`.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (MongoConnection) throws -> T
    ) async throws -> T {
        try await checkOut()
        defer { checkIn() }
        return try await threadPool.runIfActive { [self] in
            try self.runWithClient(body)
        }
    }

    /// Sends `{ping: 1}` to the admin database; throws when the server does not answer.
    public func ping() async throws {
        _ = try await withConnection { connection in
            var command = BSONWriter()
            command.append("ping", Int32(1))
            return try connection.runCommand(command.finish(), database: "admin")
        }
    }

    /// Stops handing out connections and releases the driver pool once the
    /// connections in use are returned. Idempotent.
    public func close() {
        let destroy = state.withLockedValue { state -> Bool in
            state.closed = true
            guard state.checkedOut == 0, !state.destroyed else { return false }
            state.destroyed = true
            return true
        }
        if destroy {
            mongoc_client_pool_destroy(pool)
            context.logger.debug("MongoDB client pool closed")
        }
    }

    /// Counts one more user of the pool, then waits (without blocking a thread) until one of
    /// its clients is free to pop (`permits`). `checkIn` undoes both.
    func checkOut() async throws {
        try state.withLockedValue { state in
            guard !state.closed else { throw MongoError.closed("the MongoDB client pool is closed") }
            state.checkedOut += 1
        }
        guard let observer = context.observer else { return await permits.acquire() }
        let start = ContinuousClock.now
        await permits.acquire()
        observer.clientWaited(ContinuousClock.now - start)
    }

    func checkIn() {
        permits.release()
        let destroy = state.withLockedValue { state -> Bool in
            state.checkedOut -= 1
            guard state.closed, state.checkedOut == 0, !state.destroyed else { return false }
            state.destroyed = true
            return true
        }
        if destroy { mongoc_client_pool_destroy(pool) }
    }

    /// Runs on a thread-pool thread.
    private func runWithClient<T>(_ body: (MongoConnection) throws -> T) throws -> T {
        guard let client = mongoc_client_pool_pop(pool) else {
            throw MongoError(kind: .connection, message: "no MongoDB client available from the pool")
        }
        let connection = MongoConnection(client: client, context: context)
        defer {
            connection.invalidate()
            mongoc_client_pool_push(pool, client)
        }
        return try body(connection)
    }
}
