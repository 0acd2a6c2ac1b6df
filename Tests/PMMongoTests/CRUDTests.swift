import PMMongo
import PMTestSupport
import Testing

@Suite("CRUD")
struct CRUDTests {
    @Test func insertManyAndFindBack() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let documents = try (0..<5).map { try bson(#"{"_id": \#($0), "name": "item\#($0)", "qty": \#($0 * 10)}"#) }
        let outcome = try await pool.withConnection {
            try $0.insertMany(collection: "items", documents: documents, ordered: true)
        }
        #expect(outcome == InsertManyOutcome(insertedCount: 5, writeErrors: []))

        let all = try await pool.withConnection {
            try $0.find(collection: "items", filter: try bson("{}"), sort: try bson(#"{"_id": 1}"#))
        }
        #expect(all == documents)

        let page = try await pool.withConnection {
            try $0.find(
                collection: "items", filter: try bson(#"{"qty": {"$gte": 10}}"#), sort: try bson(#"{"qty": -1}"#),
                projection: try bson(#"{"name": 1, "_id": 0}"#), skip: 1, limit: 2
            )
        }
        #expect(jsons(page) == [#"{ "name" : "item3" }"#, #"{ "name" : "item2" }"#])

        let empty = try await pool.withConnection { try $0.insertMany(collection: "items", documents: []) }
        #expect(empty.insertedCount == 0)
    }

    @Test func unorderedInsertKeepsSuccessesAndReportsDuplicates() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        try await pool.withConnection {
            try $0.createIndex(collection: "products", keys: try bson(#"{"sku": 1}"#), name: "sku_unique", unique: true)
        }
        let documents = try [
            #"{"sku": "A-1", "n": 0}"#, #"{"sku": "A-1", "n": 1}"#, #"{"sku": "B-2", "n": 2}"#,
            #"{"sku": "B-2", "n": 3}"#, #"{"sku": "C-3", "n": 4}"#,
        ].map(bson)
        let outcome = try await pool.withConnection {
            try $0.insertMany(collection: "products", documents: documents, ordered: false)
        }
        #expect(outcome.insertedCount == 3)
        #expect(outcome.writeErrors.map(\.index) == [1, 3])
        #expect(outcome.writeErrors.allSatisfy { $0.code == 11000 && $0.isDuplicateKey })
        #expect(outcome.writeErrors.allSatisfy { $0.message.contains("E11000") })
        #expect(TestBSON.json(outcome.writeErrors[0].document)?.contains("A-1") == true)

        let stored = try await pool.withConnection {
            try $0.find(collection: "products", filter: try bson("{}"), sort: try bson(#"{"n": 1}"#),
                        projection: try bson(#"{"_id": 0}"#))
        }
        #expect(jsons(stored) == [
            #"{ "sku" : "A-1", "n" : 0 }"#, #"{ "sku" : "B-2", "n" : 2 }"#, #"{ "sku" : "C-3", "n" : 4 }"#,
        ])

        // Ordered: stops at the first failure.
        let ordered = try await pool.withConnection {
            try $0.insertMany(collection: "products", documents: try [
                #"{"sku": "D-4"}"#, #"{"sku": "A-1"}"#, #"{"sku": "E-5"}"#,
            ].map(bson), ordered: true)
        }
        #expect(ordered.insertedCount == 1)
        #expect(ordered.writeErrors.map(\.index) == [1])
    }

    @Test func countDocuments() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let counts = try await pool.withConnection { connection in
            _ = try connection.insertMany(
                collection: "c", documents: try (0..<7).map { try bson(#"{"even": \#($0 % 2 == 0)}"#) })
            return [
                try connection.count(collection: "c", filter: try bson("{}")),
                try connection.count(collection: "c", filter: try bson(#"{"even": true}"#)),
                try connection.count(collection: "c", filter: try bson(#"{"even": true}"#), limit: 2),
                try connection.count(collection: "missing", filter: try bson("{}")),
            ]
        }
        #expect(counts == [7, 4, 2, 0])
    }

    @Test func updateAndDelete() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        try await pool.withConnection { connection in
            _ = try connection.insertMany(collection: "c", documents: try (1...4).map {
                try bson(#"{"_id": \#($0), "group": "\#($0 <= 3 ? "a" : "b")", "v": 0}"#)
            })
            let many = try connection.updateMany(
                collection: "c", filter: try bson(#"{"group": "a"}"#), update: try bson(#"{"$set": {"v": 1}}"#))
            #expect(many == UpdateOutcome(matchedCount: 3, modifiedCount: 3))

            let one = try connection.updateOne(
                collection: "c", filter: try bson(#"{"group": "a"}"#), update: try bson(#"{"$set": {"v": 1}}"#))
            #expect(one.matchedCount == 1 && one.modifiedCount == 0)

            let upsert = try connection.updateOne(
                collection: "c", filter: try bson(#"{"_id": 99}"#), update: try bson(#"{"$set": {"v": 9}}"#),
                upsert: true)
            #expect(upsert.matchedCount == 0 && upsert.upsertedCount == 1)
            #expect(upsert.upsertedId.flatMap(TestBSON.json) == #"{ "_id" : 99 }"#)

            let none = try connection.updateMany(
                collection: "c", filter: try bson(#"{"group": "zzz"}"#), update: try bson(#"{"$set": {"v": 2}}"#))
            #expect(none == UpdateOutcome(matchedCount: 0, modifiedCount: 0))

            let deleteOne = try connection.deleteOne(collection: "c", filter: try bson(#"{"group": "a"}"#))
            #expect(deleteOne.deletedCount == 1)
            let deleteMany = try connection.deleteMany(collection: "c", filter: try bson(#"{"v": {"$gte": 1}}"#))
            #expect(deleteMany.deletedCount == 3)
            #expect(try connection.count(collection: "c", filter: try bson("{}")) == 1)

            // A malformed update is a server error, thrown.
            let error = #expect(throws: MongoError.self) {
                try connection.updateMany(collection: "c", filter: try bson("{}"), update: try bson(#"{"$bogus": {"v": 1}}"#))
            }
            #expect(error?.kind == .server)
        }
    }

    @Test func duplicateKeyOnUpdateIsThrown() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        try await pool.withConnection { connection in
            try connection.createIndex(collection: "c", keys: try bson(#"{"k": 1}"#), name: "k_1", unique: true)
            _ = try connection.insertMany(collection: "c", documents: try [#"{"k": 1}"#, #"{"k": 2}"#].map(bson))
            let error = #expect(throws: MongoError.self) {
                try connection.updateOne(collection: "c", filter: try bson(#"{"k": 2}"#), update: try bson(#"{"$set": {"k": 1}}"#))
            }
            #expect(error?.isDuplicateKey == true)
            #expect(error?.code == 11000)
        }
    }

    @Test func uniquePartialIndex() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        try await pool.withConnection { connection in
            try connection.createIndex(
                collection: "people", keys: try bson(#"{"email": 1}"#), name: "email_unique", unique: true,
                partialFilter: try bson(#"{"email": {"$exists": true}}"#))
            // Idempotent.
            try connection.createIndex(
                collection: "people", keys: try bson(#"{"email": 1}"#), name: "email_unique", unique: true,
                partialFilter: try bson(#"{"email": {"$exists": true}}"#))

            let outcome = try connection.insertMany(collection: "people", documents: try [
                #"{"name": "no email 1"}"#, #"{"name": "no email 2"}"#,
                #"{"email": "a@example.com"}"#, #"{"email": "a@example.com"}"#,
            ].map(bson), ordered: false)
            #expect(outcome.insertedCount == 3)
            #expect(outcome.writeErrors.map(\.index) == [3])
            #expect(outcome.writeErrors.first?.code == 11000)

            let indexes = try connection.runCommand(try bson(#"{"listIndexes": "people"}"#))
            let text = TestBSON.json(indexes) ?? ""
            #expect(text.contains("email_unique"))
            #expect(text.contains("partialFilterExpression"))
        }
    }
}

@Suite("CRUD: packed batches")
struct PackedBatchTests {
    @Test func aPackedBatchIsInsertedInPlace() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let documents = try [bson(#"{"_id": 1, "name": "one"}"#), bson(#"{"name": "no id: the driver adds one"}"#)]
        var batch = BSONDocumentBatch()
        for document in documents { batch.append { $0.append(contentsOf: document) } }
        #expect(batch.count == 2)
        let packed = batch
        let outcome = try await pool.withConnection { try $0.insertMany(collection: "packed", batch: packed, validate: false) }
        #expect(outcome == InsertManyOutcome(insertedCount: 2, writeErrors: []))
        let stored = try await pool.withConnection { try $0.find(collection: "packed", filter: try bson("{}")) }
        #expect(stored.count == 2)
        #expect(stored.first == documents[0])
    }

    @Test func aDocumentThatDoesNotFitIsRefusedBeforeAnythingIsSent() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let whole = try bson(#"{"_id": 1}"#)
        var batch = BSONDocumentBatch()
        batch.append { $0.append(contentsOf: whole) }
        batch.append { $0.append(contentsOf: whole.dropLast(2)) }  // length prefix says more
        let packed = batch
        let error = await #expect(throws: MongoError.self) {
            try await pool.withConnection { try $0.insertMany(collection: "packed", batch: packed) }
        }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.message == "document 1 is not a complete BSON document")
        #expect(try await pool.withConnection { try $0.count(collection: "packed", filter: try bson("{}")) } == 0)
    }
}

@Suite("CRUD: bulk replace")
struct BulkReplaceTests {
    @Test func replacesEachInOneBulkAndReportsADuplicateByPosition() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let keys = try bson(#"{"sku": 1}"#)
        _ = try await pool.withConnection { connection in
            try connection.createIndex(collection: "bulk", keys: keys, name: "sku_unique", unique: true)
            return try connection.insertMany(collection: "bulk", documents: [
                try bson(#"{"_id": 1, "sku": "A"}"#), try bson(#"{"_id": 2, "sku": "B"}"#),
                try bson(#"{"_id": 3, "sku": "C"}"#),
            ])
        }
        let fine = try await pool.withConnection { connection in
            try connection.replaceEach(collection: "bulk", [
                (try bson(#"{"_id": 1}"#), try bson(#"{"_id": 1, "sku": "A1"}"#)),
                (try bson(#"{"_id": 2}"#), try bson(#"{"_id": 2, "sku": "B1"}"#)),
                (try bson(#"{"_id": 9}"#), try bson(#"{"_id": 9, "sku": "Z"}"#)),
            ])
        }
        #expect(fine == BulkReplaceOutcome(matchedCount: 2, modifiedCount: 2))
        let clash = try await pool.withConnection { connection in
            try connection.replaceEach(collection: "bulk", [
                (try bson(#"{"_id": 1}"#), try bson(#"{"_id": 1, "sku": "A2"}"#)),
                (try bson(#"{"_id": 2}"#), try bson(#"{"_id": 2, "sku": "C"}"#)),
                (try bson(#"{"_id": 3}"#), try bson(#"{"_id": 3, "sku": "C3"}"#)),
            ])
        }
        #expect(clash.matchedCount == 1)
        #expect(clash.writeErrors.map(\.index) == [1])
        #expect(clash.writeErrors.first?.isDuplicateKey == true)
        let stored = try await pool.withConnection {
            try $0.find(collection: "bulk", filter: try bson("{}"), sort: try bson(#"{"_id": 1}"#))
        }
        // Ordered: the first replacement went through, the clash and everything after it did not.
        #expect(jsons(stored) == [
            #"{ "_id" : 1, "sku" : "A2" }"#, #"{ "_id" : 2, "sku" : "B1" }"#, #"{ "_id" : 3, "sku" : "C" }"#,
        ])
    }
}
