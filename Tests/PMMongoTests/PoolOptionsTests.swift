import Logging
import NIOPosix
import PMMongo
import PMTestSupport
import Testing

/// `MongoPoolOptions`: what the connection string leaves out is filled in; what it says wins.
@Suite("MongoClientPool options")
struct PoolOptionsTests {
    static let durable = MongoPoolOptions(writeConcern: .durable, serverSelectionTimeoutMS: 3000, maxTimeMS: 10_000)

    static func pool(
        _ uri: String, _ options: MongoPoolOptions, threadPool: NIOThreadPool = .singleton
    ) throws -> MongoClientPool {
        try MongoClientPool(
            uri: uri, database: TestBackend.uniqueDatabaseName(), maxPoolSize: 2, options: options,
            threadPool: threadPool, logger: Logger(label: "pm.test.pool-options"))
    }

    @Test func theWriteConcernFillsInWhatTheURILeavesOut() async throws {
        let pool = try Self.pool(try await TestBackend.uri(), Self.durable)
        defer { pool.close() }
        #expect(pool.writeConcern == MongoWriteConcern(w: .majority, journal: true, timeoutMS: nil))
        // Writes, and commits, with it are accepted.
        _ = try await pool.withConnection { try $0.insertMany(collection: "c", documents: [try bson(#"{"a":1}"#)]) }
        _ = try await pool.withTransaction { transaction in
            try await transaction.run { connection, session in
                _ = try connection.insertMany(collection: "c", documents: [try bson(#"{"a":2}"#)], session: session)
            }
            return .commit(())
        }
        let count = try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) }
        #expect(count == 2)
    }

    @Test func aWriteConcernInTheURIWins() async throws {
        let pool = try Self.pool(try await TestBackend.uri() + "&w=1&journal=false", Self.durable)
        defer { pool.close() }
        #expect(pool.writeConcern == MongoWriteConcern(w: .members(1), journal: false, timeoutMS: nil))
    }

    @Test func withoutOptionsTheDriverDefaultStays() async throws {
        let pool = try Self.pool(try await TestBackend.uri(), MongoPoolOptions())
        defer { pool.close() }
        #expect(pool.writeConcern == nil)
    }

    /// Nothing listens: a ping fails after the server selection timeout. The URI's 300 ms
    /// wins over the options' 20 s; without it, the options' 300 ms replaces the driver's 30 s.
    /// The ping runs on a thread pool of its own, so the time measured is the driver's, not
    /// a wait behind other tests' jobs on the shared pool.
    @Test(arguments: [
        ("&serverSelectionTimeoutMS=300", MongoPoolOptions(serverSelectionTimeoutMS: 20_000)),
        ("", MongoPoolOptions(serverSelectionTimeoutMS: 300)),
    ])
    func serverSelectionTimesOutAsConfigured(uriOption: String, options: MongoPoolOptions) async throws {
        let uri = "mongodb://127.0.0.1:\(try TestBackend.freePort())/?directConnection=true" + uriOption
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let pool = try Self.pool(uri, options, threadPool: threadPool)
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: MongoError.self) { try await pool.ping() }
        #expect(clock.now - started < .seconds(15))  // far from the 20 s and 30 s it would take otherwise
        pool.close()
        try await threadPool.shutdownGracefully()
    }
}
