import HTTPTypes
import PMBSON
import PermissionMongo
import Testing

@Suite("Read policy")
struct ReadPolicyTests {
    @Test func readWhenIsAppliedToGetListAndVersions() async throws {
        try await ChangeFixtures.with { api in
            let alice = try await api.token("alice", roles: ["admin"])
            let bob = try await api.token("bob", roles: ["admin"])
            let aliceReader = try await api.token("alice", roles: ["own_reader"])
            let mine = try await api.create("products", token: alice, [#"{"name":"Alice's","price":1}"#])
            let theirs = try await api.create("products", token: bob, [#"{"name":"Bob's","price":1}"#])
            _ = try await api.put("/products/batch", token: bob, #"{"ids":\#(quoted(theirs)),"update":{"status":"v2"}}"#)

            #expect(try await api.get("/products/\(mine[0])", token: aliceReader).status == .ok)
            #expect(try await api.get("/products/\(theirs[0])", token: aliceReader).status == .notFound)
            let list = try await api.get("/products", token: aliceReader)
            #expect(list.json.int("count") == 1)
            #expect(list.json.documents("data").first?.string("_id") == mine[0])
            #expect(try await api.get("/products/\(theirs[0])/versions", token: aliceReader).status == .notFound)
            #expect(try await api.get("/products/\(theirs[0])/versions", token: bob).json.int("count") == 1)
        }
    }

    @Test func restoreNeedsTheRestoreAction() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            let editor = try await api.token("a", roles: ["editor"])
            let ids = try await api.create("products", token: admin, [#"{"name":"Thing","price":1}"#])
            _ = try await api.put("/products/batch", token: admin, #"{"ids":\#(quoted(ids)),"update":{"name":"Changed"}}"#)
            #expect(try await api.post("/products/\(ids[0])/versions/1/restore", token: editor, "").status == .forbidden)
            let restored = try await api.post("/products/\(ids[0])/versions/1/restore", token: admin, "")
            #expect(restored.status == .ok)
            #expect(restored.json.string("name") == "Thing")
        }
    }
}
