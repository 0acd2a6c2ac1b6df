import PMMongo
import PMTestSupport
import Testing

/// `OpenTransaction.runAndCommit`: the body and its commit in one thread-pool job, with the
/// same outcomes and retries as a body followed by `commit()`.
@Suite("Transactions committed in the body's job", .serialized)
struct TransactionCommitInJobTests {
    @Test func commitsInTheJobAndCommitReportsIt() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let result = try await pool.withTransaction { transaction in
            try await transaction.runAndCommit { connection, session -> TransactionEnd<Int> in
                .commit(try connection.insertMany(
                    collection: "c", documents: try (0..<3).map { try bson(#"{"_id": \#($0)}"#) }, session: session
                ).insertedCount)
            }
        }
        #expect(result.value == 3)
        #expect(result.commitAttempts == 1)
        #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 3)
    }

    @Test func anAbortingBodyWritesNothing() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let result = try await pool.withTransaction { transaction in
            try await transaction.runAndCommit { connection, session -> TransactionEnd<Int> in
                .abort(try connection.insertMany(
                    collection: "c", documents: [try bson(#"{"_id": 1}"#)], session: session
                ).insertedCount)
            }
        }
        #expect(result.value == 1 && result.commitAttempts == 0)
        #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 0)
    }

    @Test func unknownCommitResultCommitsAgainWithoutRerunningTheBody() async throws {
        try await withFailingPool(
            ["commitTransaction"], errorCode: 2, errorLabels: ["UnknownTransactionCommitResult"]
        ) { pool in
            let bodyRuns = Locked(0)
            let result = try await pool.withTransaction { transaction in
                try await transaction.runAndCommit { connection, session -> TransactionEnd<Int> in
                    bodyRuns.update { $0 += 1 }
                    return .commit(try connection.insertMany(
                        collection: "c", documents: [try bson(#"{"_id": 1}"#)], session: session
                    ).insertedCount)
                }
            }
            #expect(result.attempts == 1)
            #expect(result.commitAttempts == 2, "the job's commit, then one more")
            #expect(bodyRuns.current == 1)
            #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 1)
        }
    }

    @Test func aTransientCommitErrorRerunsTheBody() async throws {
        try await withFailingPool(
            ["commitTransaction"], errorCode: 112, errorLabels: ["TransientTransactionError"]
        ) { pool in
            let result = try await pool.withTransaction { transaction in
                try await transaction.runAndCommit { connection, session -> TransactionEnd<Int> in
                    .commit(session.attempt * 100 + (try connection.insertMany(
                        collection: "c", documents: [try bson(#"{"_id": 1}"#)], session: session
                    ).insertedCount))
                }
            }
            #expect(result.attempts == 2)
            #expect(result.value == 201)
            #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 1)
        }
    }

    @Test func aFailingBodyIsNotCommitted() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        await #expect(throws: ExpectedFailure.self) {
            _ = try await pool.withTransaction { transaction in
                try await transaction.runAndCommit { connection, session -> TransactionEnd<Int> in
                    _ = try connection.insertMany(collection: "c", documents: [try bson(#"{"_id": 1}"#)], session: session)
                    throw ExpectedFailure()
                }
            }
        }
        #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 0)
    }
}
