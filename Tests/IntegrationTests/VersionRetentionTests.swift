import HTTPTypes
import PMBSON
import PMMongo
import PMTestSupport
import PermissionMongo
import Testing

@Suite("Version retention")
struct VersionRetentionTests {
    /// `retention_days: 7`: when a new version is saved, versions older than that go.
    @Test func versionsOlderThanRetentionArePruned() async throws {
        try await ChangeFixtures.with { api in
            let writer = try await api.token("w", roles: ["writer"])
            let ids = try await api.create("notes", token: writer, [#"{"text":"v0"}"#])
            _ = try await api.put("/notes/batch", token: writer, #"{"ids":\#(quoted(ids)),"update":{"text":"v1"}}"#)
            _ = try await api.put("/notes/batch", token: writer, #"{"ids":\#(quoted(ids)),"update":{"text":"v2"}}"#)
            #expect(try await api.get("/notes/\(ids[0])/versions", token: writer).json.int("count") == 2)

            // Age version 1 by ten days, directly in the database.
            let pool = try await TestBackend.makePool(database: api.config.database.name)
            defer { pool.close() }
            let tenDaysAgo = BSONDate(millisecondsSince1970: BSONDate.now().millisecondsSince1970 - 10 * 86_400_000)
            let filter = BSONDocument(["collection": "notes", "version": .int64(1)]).encoded()
            let update = BSONDocument(["$set": .document(["updated_at": .date(tenDaysAgo)])]).encoded()
            let aged = try await pool.withConnection { connection in
                try connection.updateOne(collection: "_pm_versions", filter: filter, update: update)
            }
            #expect(aged.modifiedCount == 1)

            _ = try await api.put("/notes/batch", token: writer, #"{"ids":\#(quoted(ids)),"update":{"text":"v3"}}"#)
            let versions = try await api.get("/notes/\(ids[0])/versions", token: writer).json.documents("data")
            #expect(versions.compactMap { $0.int("version") } == [3, 2])
            #expect(versions.compactMap { $0.document("data")?.string("text") } == ["v2", "v1"])
        }
    }
}
