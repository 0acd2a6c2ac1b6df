import PMMongo
import PMTestSupport
import Testing

/// Transactions run one suite at a time: the test backend does not run
/// transactions concurrently.
@Suite("Transactions", .serialized)
struct TransactionTests {
    @Test func commitIsVisible() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let result = try await pool.withTransaction { transaction in
            .commit(try await transaction.run { connection, session in
                let outcome = try connection.insertMany(
                    collection: "c", documents: try (0..<3).map { try bson(#"{"_id": \#($0)}"#) }, session: session)
                _ = try connection.updateOne(
                    collection: "c", filter: try bson(#"{"_id": 0}"#), update: try bson(#"{"$set": {"x": 1}}"#),
                    session: session)
                // Reads inside the transaction see its writes.
                return (outcome.insertedCount, try connection.count(collection: "c", filter: try bson("{}"), session: session))
            })
        }
        #expect(result.value == (3, 3))
        #expect(result.attempts == 1)
        #expect(result.commitAttempts == 1)
        let stored = try await pool.withConnection { try $0.count(collection: "c", filter: try bson(#"{"x": 1}"#)) }
        #expect(stored == 1)
    }

    @Test func abortLeavesNothing() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        try await pool.withConnection { connection in
            _ = try connection.insertMany(collection: "c", documents: [try bson(#"{"_id": "kept"}"#)])
        }
        await #expect(throws: ExpectedFailure.self) {
            _ = try await pool.withTransaction { transaction -> TransactionEnd<Int> in
                try await transaction.run { connection, session in
                    _ = try connection.insertMany(
                        collection: "c", documents: try (0..<3).map { try bson(#"{"_id": \#($0)}"#) }, session: session)
                    _ = try connection.deleteMany(collection: "c", filter: try bson(#"{"_id": "kept"}"#), session: session)
                }
                throw ExpectedFailure()
            }
        }
        let ids = try await pool.withConnection { try $0.find(collection: "c", filter: try bson("{}")) }
        #expect(jsons(ids) == [#"{ "_id" : "kept" }"#])
    }

    @Test func bodyMayAbortWithAValue() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let result = try await pool.withTransaction { transaction in
            .abort(try await transaction.run { connection, session in
                try connection.insertMany(collection: "c", documents: [try bson(#"{"_id": 1}"#)], session: session)
                    .insertedCount
            })
        }
        #expect(result.value == 1)
        #expect(result.commitAttempts == 0)
        #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 0)
    }

    @Test func unknownCommitResultRetriesTheCommit() async throws {
        try await withFailingPool(
            ["commitTransaction"], errorCode: 2, errorLabels: ["UnknownTransactionCommitResult"]
        ) { pool in
            let bodyRuns = Locked(0)
            let result = try await pool.withTransaction { transaction in
                bodyRuns.update { $0 += 1 }
                return .commit(try await transaction.run { connection, session in
                    try connection.insertMany(collection: "c", documents: [try bson(#"{"_id": 1}"#)], session: session)
                        .insertedCount
                })
            }
            #expect(result.attempts == 1)
            #expect(result.commitAttempts == 2)
            #expect(bodyRuns.current == 1)
            #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 1)
        }
    }

    @Test func duplicateKeyInTransactionRollsBack() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        try await pool.withConnection { connection in
            try connection.createIndex(collection: "c", keys: try bson(#"{"k": 1}"#), name: "k_1", unique: true)
        }
        let error = await #expect(throws: MongoError.self) {
            _ = try await pool.withTransaction { transaction in
                .commit(try await transaction.run { connection, session in
                    let outcome = try connection.insertMany(
                        collection: "c", documents: try [#"{"k": 1}"#, #"{"k": 1}"#].map(bson), ordered: true,
                        session: session)
                    if let first = outcome.writeErrors.first {
                        throw MongoError(
                            kind: .server, code: first.code, message: first.message, writeErrors: outcome.writeErrors)
                    }
                })
            }
        }
        #expect(error?.isDuplicateKey == true)
        #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 0)
    }

    @Test func transientErrorRetriesWholeBody() async throws {
        try await withFailingPool(
            ["insert"], errorCode: 112, errorLabels: ["TransientTransactionError"]
        ) { pool in
            let bodyRuns = Locked(0)
            let result = try await pool.withTransaction { transaction in
                bodyRuns.update { $0 += 1 }
                return .commit(try await transaction.run { connection, session in
                    let outcome = try connection.insertMany(
                        collection: "c", documents: try (0..<3).map { try bson(#"{"_id": \#($0)}"#) }, session: session)
                    return session.attempt * 100 + outcome.insertedCount
                })
            }
            #expect(result.attempts == 2)
            #expect(result.value == 203)
            #expect(bodyRuns.current == 2)
            #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 3)
        }
    }

    @Test func retriesAreBounded() async throws {
        try await withFailingPool(
            ["insert"], errorCode: 112, errorLabels: ["TransientTransactionError"], times: 5
        ) { pool in
            let error = await #expect(throws: MongoError.self) {
                _ = try await pool.withTransaction(options: TransactionOptions(maxAttempts: 3)) { transaction in
                    .commit(try await transaction.run { connection, session in
                        try connection.insertMany(collection: "c", documents: [try bson(#"{"_id": 1}"#)], session: session)
                            .insertedCount
                    })
                }
            }
            #expect(error?.code == 112)
            #expect(error?.isTransientTransactionError == true)
            try await TestBackend.disableFailCommand(pool: pool)
            #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 0)
        }
    }

    @Test func serializedTransactionsAllCommit() async throws {
        let pool = try await TestBackend.makePool(serializeTransactions: true)
        defer { pool.close() }
        #expect(pool.serializesTransactions)
        let running = Locked(0)
        let overlap = Locked(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask {
                    _ = try await pool.withTransaction { transaction in
                        .commit(try await transaction.run { connection, session in
                            if running.update({ $0 += 1; return $0 }) > 1 { overlap.update { $0 = true } }
                            defer { running.update { $0 -= 1 } }
                            return try connection.insertMany(
                                collection: "c", documents: [try bson(#"{"_id": \#(index)}"#)], session: session
                            ).insertedCount
                        })
                    }
                }
            }
            // A transaction driven by hand (begin, run, commit) shares the gate.
            group.addTask {
                let transaction = try await pool.beginTransaction()
                _ = try await transaction.run { connection, session in
                    if running.update({ $0 += 1; return $0 }) > 1 { overlap.update { $0 = true } }
                    defer { running.update { $0 -= 1 } }
                    return try connection.insertMany(
                        collection: "c", documents: [try bson(#"{"_id": 100}"#)], session: session
                    ).insertedCount
                }
                try await transaction.commit()
            }
            try await group.waitForAll()
        }
        #expect(!overlap.current)
        #expect(try await pool.withConnection { try $0.count(collection: "c", filter: try bson("{}")) } == 7)
    }
}
