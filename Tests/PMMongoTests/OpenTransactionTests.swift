import Logging
import NIOPosix
import PMMongo
import PMTestSupport
import Testing

@Suite("OpenTransaction")
struct OpenTransactionTests {
    @Test func commitWritesAndAbortWritesNothing() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let kept = try await pool.beginTransaction()
        _ = try await kept.run { connection, session in
            try connection.insertMany(collection: "t", documents: [try bson(#"{"n": 1}"#)], session: session)
        }
        // Inside the transaction its own write is visible, outside it is not yet.
        #expect(try await kept.run { connection, session in
            try connection.count(collection: "t", filter: try bson("{}"), session: session)
        } == 1)
        #expect(try await pool.withConnection { try $0.count(collection: "t", filter: try bson("{}")) } == 0)
        try await kept.commit()

        let dropped = try await pool.beginTransaction()
        _ = try await dropped.run { connection, session in
            try connection.insertMany(collection: "t", documents: [try bson(#"{"n": 2}"#)], session: session)
        }
        await dropped.abort()
        await dropped.abort()  // idempotent
        #expect(try await pool.withConnection { try $0.count(collection: "t", filter: try bson("{}")) } == 1)
        await #expect(throws: MongoError.self) { try await dropped.run { _, _ in 0 } }
    }

    /// One client and one thread: a job waiting for the client must not take the thread the
    /// open transaction needs for its next step (it would wait forever in
    /// `mongoc_client_pool_pop`).
    @Test func waitingForTheClientDoesNotTakeTheTransactionsThread() async throws {
        let threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        let pool = try MongoClientPool(
            uri: try await TestBackend.uri(), database: TestBackend.uniqueDatabaseName(), maxPoolSize: 1,
            threadPool: threads, logger: Logger(label: "pm.test.open-transaction"))
        let transaction = try await pool.beginTransaction()
        let waiting = Task {
            try await pool.withConnection { try $0.count(collection: "t", filter: try bson("{}")) }
        }
        try await Task.sleep(for: .milliseconds(300))
        let done = Locked(false)
        let step = Task {
            _ = try await transaction.run { connection, session in
                try connection.insertMany(collection: "t", documents: [try bson(#"{"n": 1}"#)], session: session)
            }
            try await transaction.commit()
            done.update { $0 = true }
        }
        for _ in 0..<200 where !done.current { try await Task.sleep(for: .milliseconds(100)) }
        guard done.current else {
            // Deadlocked: the stuck thread is left behind so that the run can go on.
            Issue.record("the transaction's next step never ran: its only thread waits for the client it holds")
            return
        }
        try await step.value
        #expect(try await waiting.value == 1)
        pool.close()
        try await threads.shutdownGracefully()
    }
}
