import HTTPTypes
import PMBSON
import PermissionMongo
import Testing

@Suite("Unique fields and duplicate keys")
struct UniqueFieldTests {
    @Test func duplicateWithinABatch() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let reply = try await api.post("/products/batch", token: token, """
                {"documents":[{"name":"First","price":1,"sku":"ABC-1"},{"name":"Second","price":1,"sku":"ABC-1"},
                              {"name":"Third","price":1,"sku":"ABC-2"}]}
                """)
            #expect(reply.status == .created)
            #expect(reply.json.strings("created").count == 2)
            let failed = reply.json.documents("failed")
            #expect(failed.map { $0.int("index") } == [1])
            #expect(failed.first?.document("error")?.string("code") == "duplicate_key")
            #expect(failed.first?.document("error")?.string("message")?.contains("sku") == true)
        }
    }

    @Test func duplicateAgainstStoredDataIsPerTenant() async throws {
        try await GatewayHarness.with { api in
            let acme = try await api.token("u", tenant: "acme", roles: ["editor"])
            let globex = try await api.token("u", tenant: "globex", roles: ["editor"])
            #expect(try await api.post("/products/batch", token: acme, #"{"documents":[{"name":"One","price":1,"sku":"XYZ-9"}]}"#)
                .json.strings("created").count == 1)
            let again = try await api.post("/products/batch", token: acme, #"{"documents":[{"name":"Two","price":1,"sku":"XYZ-9"}]}"#)
            #expect(again.json.documents("failed").first?.document("error")?.string("code") == "duplicate_key")
            // The same sku in another tenant is fine.
            let other = try await api.post("/products/batch", token: globex, #"{"documents":[{"name":"Two","price":1,"sku":"XYZ-9"}]}"#)
            #expect(other.json.strings("created").count == 1)
            // Documents without the unique field don't collide with each other.
            let noSku = try await api.post("/products/batch", token: acme, #"{"documents":[{"name":"NoSku1","price":1},{"name":"NoSku2","price":1}]}"#)
            #expect(noSku.json.strings("created").count == 2)
        }
    }

    @Test func atomicBatchListsEveryDuplicateAndWritesNothing() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            _ = try await api.post("/products/batch", token: token, #"{"documents":[{"name":"Stored","price":1,"sku":"AAA-1"}]}"#)
            let reply = try await api.post("/products/batch?atomic=true", token: token, """
                {"documents":[{"name":"New one","price":1,"sku":"AAA-2"},{"name":"Clash","price":1,"sku":"AAA-1"},
                              {"name":"Twin A","price":1,"sku":"AAA-3"},{"name":"Twin B","price":1,"sku":"AAA-3"}]}
                """)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.json["created"] == .array([]))
            let failed = reply.json.documents("failed")
            #expect(failed.map { $0.int("index") } == [1, 3])
            #expect(failed.allSatisfy { $0.document("error")?.string("code") == "duplicate_key" })
            #expect(try await api.get("/products", token: token).json.int("count") == 1)
        }
    }
}
