import Foundation
import HTTPTypes
import PMBSON
import PMMongo
import PMTestSupport
import Testing
@testable import PermissionMongo

@Suite("Declared indexes")
struct DeclaredIndexTests {
    /// `events` with three declared indexes (`extraIndexes` after them, from line 19);
    /// `ttl` is the TTL index's expiry.
    static func yaml(ttl: Int = 3600, extraIndexes: String = "") -> String {
        """
        server:
          max_batch_size: 10
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          events:
            fields:
              category: { type: string }
              code: { type: string }
              due: { type: date }
            indexes:
              - fields: { category: 1, created_at: -1 }
              - fields: { category: 1, code: 1 }
                name: category_code
                unique: true
              - fields: { due: 1 }
                expire_after_seconds: \(ttl)
        \(extraIndexes)policies:
          events:
            admin: { actions: [create, read, update, delete] }
        """
    }

    /// The indexes of `collection` as the backend lists them, by name.
    static func backendIndexes(_ collection: String, database: String) async throws -> [String: BSONDocument] {
        let pool = try await TestBackend.makePool(database: database)
        defer { pool.close() }
        let reply = try await pool.withConnection {
            try $0.runCommand(BSONDocument(["listIndexes": .string(collection)]).encoded())
        }
        let indexes = try BSONDocument(bsonBytes: reply).document("cursor")?.documents("firstBatch") ?? []
        return Dictionary(indexes.map { ($0.string("name") ?? "", $0) }) { first, _ in first }
    }

    @Test func theBackendHasEveryDeclaredIndexWithTheTenantFirst() async throws {
        let database = TestBackend.uniqueDatabaseName()
        try await GatewayHarness.with(yaml: Self.yaml(), database: database) { _ in }
        let indexes = try await Self.backendIndexes("events", database: database)
        #expect(Set(indexes.keys) == ["_id_", "pm_idx_category_1_created_at_-1", "category_code", "pm_idx_due_1"])

        let byDate = try #require(indexes["pm_idx_category_1_created_at_-1"])
        #expect(byDate.document("key")?.jsonString == #"{"tenant_id":1,"category":1,"created_at":-1}"#)
        #expect(byDate["unique"] == nil && byDate["expireAfterSeconds"] == nil)

        let unique = try #require(indexes["category_code"])
        #expect(unique.document("key")?.jsonString == #"{"tenant_id":1,"category":1,"code":1}"#)
        #expect(unique["unique"] == .bool(true))
        #expect(unique.document("partialFilterExpression")?.jsonString
            == #"{"category":{"$exists":true},"code":{"$exists":true}}"#)

        // TTL indexes are single-field: no tenant before the date.
        let ttl = try #require(indexes["pm_idx_due_1"])
        #expect(ttl.document("key")?.jsonString == #"{"due":1}"#)
        #expect(ttl.int("expireAfterSeconds") == 3600)
    }

    @Test func aRestartKeepsTheIndexesAndAppliesAChangedExpiry() async throws {
        let database = TestBackend.uniqueDatabaseName()
        try await GatewayHarness.with(yaml: Self.yaml(ttl: 3600), database: database) { _ in }
        let first = try await Self.backendIndexes("events", database: database)
        try await GatewayHarness.with(yaml: Self.yaml(ttl: 7200), database: database) { api in
            let token = try await api.token(roles: ["admin"])
            #expect(try await api.post("/events", token: token, #"{"category":"a","code":"x"}"#).status == .created)
        }
        let second = try await Self.backendIndexes("events", database: database)
        #expect(Set(second.keys) == Set(first.keys))
        #expect(second["pm_idx_due_1"]?.int("expireAfterSeconds") == 7200)
        #expect(second["category_code"]?.document("key") == first["category_code"]?.document("key"))
    }

    @Test func aUniqueDeclaredIndexIsUniquePerTenant() async throws {
        try await GatewayHarness.with(yaml: Self.yaml()) { api in
            let acme = try await api.token("u", tenant: "acme", roles: ["admin"])
            let globex = try await api.token("u", tenant: "globex", roles: ["admin"])
            #expect(try await api.post("/events", token: acme, #"{"category":"a","code":"x"}"#).status == .created)

            let again = try await api.post("/events", token: acme, #"{"category":"a","code":"x"}"#)
            #expect(again.status == .conflict)
            #expect(again.json.document("error")?.string("code") == "duplicate_key")
            #expect(again.json.document("error")?.string("message")
                == #"category and code together must be unique: "a" and "x" already exist"#)

            // The same values in another tenant, another code in this one, and documents
            // without one of the fields (the index leaves them out) are all accepted.
            #expect(try await api.post("/events", token: globex, #"{"category":"a","code":"x"}"#).status == .created)
            #expect(try await api.post("/events", token: acme, #"{"category":"a","code":"y"}"#).status == .created)
            #expect(try await api.post("/events", token: acme, #"{"category":"a"}"#).status == .created)
            #expect(try await api.post("/events", token: acme, #"{"category":"a"}"#).status == .created)

            let batch = try await api.post("/events/batch", token: acme, #"""
                {"documents":[{"category":"b","code":"x"},{"category":"a","code":"x"}]}
                """#)
            #expect(batch.status == .created)
            #expect(batch.json.strings("created").count == 1)
            #expect(batch.json.documents("failed").map { $0.int("index") } == [1])
            #expect(batch.json.documents("failed").first?.document("error")?.string("code") == "duplicate_key")

            // With an Idempotency-Key the batch runs in the key's transaction, which the clash
            // (met only at write time) ends: it runs again without the clashing document.
            let started = ContinuousClock.now
            let keyed = try await api.send(
                .post, "/events/batch", token: acme,
                body: #"{"documents":[{"category":"k","code":"x"},{"category":"a","code":"x"}]}"#,
                headers: [HTTPField.Name("Idempotency-Key")!: "declared"])
            #expect(keyed.status == .created, "\(keyed.text)")
            #expect(ContinuousClock.now - started < .seconds(5), "answered after the retry budget")
            #expect(keyed.json.strings("created").count == 1)
            #expect(keyed.json.documents("failed").map { $0.int("index") } == [1])
            #expect(keyed.json.documents("failed").first?.document("error")?.string("code") == "duplicate_key")

            let atomic = try await api.post("/events/batch?atomic=true", token: acme, #"""
                {"documents":[{"category":"c","code":"x"},{"category":"a","code":"y"}]}
                """#)
            #expect(atomic.status == .unprocessableContent)
            #expect(atomic.json["created"] == .array([]))
            #expect(atomic.json.documents("failed").map { $0.int("index") } == [1])

            // Atomic in the key's transaction: the clash ends it, the run again refuses the batch.
            let keyedAtomic = try await api.send(
                .post, "/events/batch?atomic=true", token: acme,
                body: #"{"documents":[{"category":"d","code":"x"},{"category":"a","code":"y"}]}"#,
                headers: [HTTPField.Name("Idempotency-Key")!: "declared-atomic"])
            #expect(keyedAtomic.status == .unprocessableContent, "\(keyedAtomic.text)")
            #expect(keyedAtomic.json["created"] == .array([]))
            #expect(keyedAtomic.json.documents("failed").map { $0.int("index") } == [1])
            #expect(keyedAtomic.json.documents("failed").first?.document("error")?.string("code") == "duplicate_key")
            #expect(try await api.get("/events", token: acme).json.int("count") == 6)
        }
    }

    /// A mixed batch in a transaction (atomic, or in an `Idempotency-Key`'s) meets a declared
    /// unique index's clash only at write time, which ends the transaction: the batch runs
    /// again without the clashing document and answers as it would have without one.
    @Test func aMixedBatchMeetsADeclaredIndexClashAtWriteTime() async throws {
        try await GatewayHarness.with(yaml: Self.yaml()) { api in
            let acme = try await api.token("u", tenant: "acme", roles: ["admin"])
            #expect(try await api.post("/events", token: acme, #"{"category":"a","code":"x"}"#).status == .created)
            let operations = """
                [{"op":"create","collection":"events","data":{"category":"m","code":"1"}},
                 {"op":"create","collection":"events","data":{"category":"a","code":"x"}},
                 {"op":"create","collection":"events","data":{"category":"m","code":"2"}}]
                """

            var started = ContinuousClock.now
            let atomic = try await MixedBatchFixtures.batch(api, token: acme, operations)
            #expect(ContinuousClock.now - started < .seconds(5), "answered after the retry budget")
            #expect(atomic.statuses == [424, 409, 424], "\(atomic.text)")
            #expect(atomic.errorCodes == ["rolled_back", "duplicate_key", "not_attempted"])
            #expect(try await api.get("/events", token: acme).json.int("count") == 1)

            started = ContinuousClock.now
            let keyed = try await api.send(
                .post, "/batch", token: acme,
                body: #"{"operations":\#(operations),"options":{"atomic":false,"continue_on_error":true}}"#,
                headers: [HTTPField.Name("Idempotency-Key")!: "mixed"])
            #expect(ContinuousClock.now - started < .seconds(5), "answered after the retry budget")
            #expect(keyed.statuses == [201, 409, 201], "\(keyed.text)")
            #expect(keyed.errorCodes == [nil, "duplicate_key", nil])
            let stored = try await api.get("/events", token: acme).json.documents("data")
            #expect(stored.compactMap { $0.string("code") }.sorted() == ["1", "2", "x"])

            // A document the batch created, then changed into a clash: the run again creates it
            // with the same id, so the same change is left out.
            started = ContinuousClock.now
            let changed = try await api.send(
                .post, "/batch", token: acme,
                body: #"""
                    {"operations":[{"op":"create","collection":"events","data":{"category":"n","code":"3"}},
                                   {"op":"update","collection":"events","id":{"$ref":0},"data":{"category":"a","code":"x"}}],
                     "options":{"atomic":false,"continue_on_error":true}}
                    """#,
                headers: [HTTPField.Name("Idempotency-Key")!: "created-then-changed"])
            #expect(ContinuousClock.now - started < .seconds(5), "answered after the retry budget")
            #expect(changed.statuses == [201, 409], "\(changed.text)")
            #expect(changed.errorCodes == [nil, "duplicate_key"])
            let id = try #require(changed.results.first?.string("id"))
            #expect(try await api.get("/events/\(id)", token: acme).json.string("category") == "n")
        }
    }

    @Test func indexesTheBackendCannotHaveStopStartUpEachNamedAtItsDeclaration() async throws {
        let database = TestBackend.uniqueDatabaseName()
        let pool = try await TestBackend.makePool(database: database)
        defer { pool.close() }
        try await pool.withConnection { connection in
            // The name of a declared index, on other keys.
            try connection.createIndex(
                collection: "events", keys: BSONDocument(["category": .int32(1)]).encoded(), name: "category_code")
            // The keys of a declared index, under another name.
            try connection.createIndex(
                collection: "events",
                keys: BSONDocument(["tenant_id": .int32(1), "category": .int32(1), "created_at": .int32(-1)]).encoded(),
                name: "by_category")
            // Two documents of one tenant with the same code, against a unique index on it.
            let twins = [BSONDocument(["tenant_id": "acme", "code": "x"]).encoded(), BSONDocument(["tenant_id": "acme", "code": "x"]).encoded()]
            #expect(try connection.insertMany(collection: "events", documents: twins).writeErrors.isEmpty)
        }
        let yaml = Self.yaml(extraIndexes: """
                  - fields: { code: 1 }
                    name: code_once
                    unique: true

            """)
        let directory = try GatewayHarness.temporaryConfig(["gateway.yml": yaml])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let gateway = try await GatewayProcess.start(configDirectory: directory, database: database)
            gateway.stop()
            Issue.record("the gateway started")
        } catch let failure as GatewayProcess.Failure {
            let file = directory + "/gateway.yml"
            let output = failure.description
            #expect(output.contains(
                "\(file):13: collections.events.indexes[0]: index pm_idx_category_1_created_at_-1 on collection events: "
                    + "the database has these keys and options indexed under another name"), "\(output)")
            #expect(output.contains(
                "\(file):14: collections.events.indexes[1]: index category_code on collection events: "
                    + "the database has an index of that name with other keys or options ("), "\(output)")
            #expect(output.contains(#""key":{"category":1}"#), "\(output)")
            #expect(output.contains(
                "\(file):19: collections.events.indexes[3]: index code_once on collection events: "
                    + #"documents of one tenant already share the values {"tenant_id":"acme","code":"x"}, so it cannot be unique"#),
                "\(output)")
        }
        // The declared index the backend could have was created all the same.
        let indexes = try await Self.backendIndexes("events", database: database)
        #expect(indexes["pm_idx_due_1"]?.int("expireAfterSeconds") == 3600)
        #expect(indexes["code_once"] == nil)
    }
}
