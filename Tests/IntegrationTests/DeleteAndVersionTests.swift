import HTTPTypes
import PMBSON
import PMCurl
import PermissionMongo
import Testing

@Suite("DELETE /{collection}/batch")
struct BatchDeleteTests {
    @Test func deleteByIdsAndByFilterWithRBAC() async throws {
        try await ChangeFixtures.with { api in
            let mine = try await api.token("me", roles: ["editor"])
            let other = try await api.token("you", roles: ["editor"])
            let owned = try await api.create("products", token: mine, [#"{"name":"Mine 1","price":1}"#, #"{"name":"Mine 2","price":2}"#,
                                                                        #"{"name":"Mine 3","price":3}"#])
            let foreign = try await api.create("products", token: other, [#"{"name":"Yours","price":1}"#])
            let byIds = try await api.delete("/products/batch", token: mine, #"{"ids":\#(quoted([owned[0], foreign[0]]))}"#)
            #expect(byIds.status == .ok)
            #expect(byIds.json.int("matched") == 1)
            #expect(byIds.json.int("deleted") == 1)
            #expect(byIds.json.documents("failed").isEmpty)
            #expect(try await api.get("/products/\(owned[0])", token: mine).status == .notFound)
            #expect(try await api.get("/products/\(foreign[0])", token: other).status == .ok)

            let byFilter = try await api.delete("/products/batch", token: mine, #"{"filter":{"price":{"$gte":1}}}"#)
            #expect(byFilter.json.int("matched") == 2)
            #expect(byFilter.json.int("deleted") == 2)
            #expect(try await api.get("/products/\(foreign[0])", token: other).status == .ok)
            let viewer = try await api.token("v", roles: ["viewer"])
            #expect(try await api.delete("/products/batch", token: viewer, #"{"ids":\#(quoted(foreign))}"#).status == .forbidden)
        }
    }

    @Test func singleDocumentRoutesAreBatchesOfOne() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            let single = try await api.post("/products", token: admin, #"{"name":"Solo","price":3}"#)
            #expect(single.status == .created)
            let id = try #require(single.json.string("id"))
            let invalid = try await api.post("/products", token: admin, #"{"name":"No"}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.json.document("error")?.string("code") == "schema_validation")
            let bad = try await api.put("/products/\(id)", token: admin, #"{"price":-1}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.json.document("error")?.string("message") == "price must be at least 0")
            #expect(try await api.put("/products/000000000000000000000000", token: admin, #"{"price":1}"#).status == .notFound)
            #expect(try await api.delete("/products/\(id)", token: admin).status == .noContent)
            #expect(try await api.delete("/products/\(id)", token: admin).status == .notFound)
            #expect(try await api.get("/products/\(id)", token: admin).status == .notFound)
        }
    }

    @Test func softDeleteHidesFromReadsAndKeepsTheDocument() async throws {
        try await ChangeFixtures.with { api in
            let writer = try await api.token("w", roles: ["writer"])
            let ids = try await api.create("articles", token: writer, [#"{"title":"Keep"}"#, #"{"title":"Drop"}"#])
            let reply = try await api.delete("/articles/batch", token: writer, #"{"ids":\#(quoted([ids[1]]))}"#)
            #expect(reply.json.int("deleted") == 1)
            #expect(try await api.get("/articles/\(ids[1])", token: writer).status == .notFound)
            #expect(try await api.get("/articles", token: writer).json.int("count") == 1)
            let again = try await api.put("/articles/batch", token: writer, #"{"ids":\#(quoted([ids[1]])),"update":{"views":1}}"#)
            #expect(again.json.int("matched") == 0)
            let versions = try await api.get("/articles/\(ids[1])/versions", token: writer)
            #expect(versions.json.documents("data").first?.string("op") == "delete")
            // Restoring the saved state undoes the soft delete.
            let restored = try await api.post("/articles/\(ids[1])/versions/1/restore", token: writer, "")
            #expect(restored.status == .ok, "\(restored.text)")
            #expect(try await api.get("/articles/\(ids[1])", token: writer).status == .ok)
        }
    }
}

@Suite("Versions")
struct VersionTests {
    @Test func fullModeKeepsEachPreviousDocument() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            let ids = try await api.create("products", token: admin, [#"{"name":"Original","price":1}"#])
            _ = try await api.put("/products/batch", token: admin, #"{"ids":\#(quoted(ids)),"update":{"name":"Second"}}"#)
            _ = try await api.put("/products/batch", token: admin, #"{"ids":\#(quoted(ids)),"update":{"name":"Third"}}"#)
            let reply = try await api.get("/products/\(ids[0])/versions", token: admin)
            #expect(reply.status == .ok)
            let versions = reply.json.documents("data")
            #expect(reply.json.int("count") == 2)
            #expect(versions.map { $0.int("version") } == [2, 1])
            #expect(versions.map { $0.document("data")?.string("name") } == ["Second", "Original"])
            #expect(versions.allSatisfy { $0.string("op") == "update" && $0.string("mode") == "full" })
            #expect(versions.first?.string("doc_id") == ids[0])
            #expect(versions.first?.string("updated_by") == "a")

            _ = try await api.delete("/products/batch", token: admin, #"{"ids":\#(quoted(ids))}"#)
            let afterDelete = try await api.get("/products/\(ids[0])/versions", token: admin).json.documents("data")
            #expect(afterDelete.first?.int("version") == 3)
            #expect(afterDelete.first?.string("op") == "delete")
            #expect(afterDelete.first?.document("data")?.string("name") == "Third")

            // Another tenant sees no versions.
            let other = try await api.token("a", tenant: "other", roles: ["admin"])
            #expect(try await api.get("/products/\(ids[0])/versions", token: other).status == .notFound)
        }
    }

    @Test func diffModePruningAndRestore() async throws {
        try await ChangeFixtures.with { api in
            let writer = try await api.token("w", roles: ["writer"])
            let ids = try await api.create("articles", token: writer, [#"{"title":"v0","views":0}"#])
            for n in 1...5 {
                let reply = try await api.put("/articles/batch", token: writer, #"{"ids":\#(quoted(ids)),"update":{"title":"v\#(n)","views":\#(n)}}"#)
                #expect(reply.json.int("modified") == 1)
            }
            let versions = try await api.get("/articles/\(ids[0])/versions", token: writer).json.documents("data")
            #expect(versions.map { $0.int("version") } == [5, 4, 3])  // max_versions: 3
            let latest = try #require(versions.first)
            #expect(latest.string("mode") == "diff")
            #expect(latest["data"] == nil)
            let changes = latest.documents("changes")
            let title = try #require(changes.first { $0.string("field") == "title" })
            #expect(title.string("from") == "v4")
            #expect(title.string("to") == "v5")

            // Restore version 4 (the state before the 4th update: title v3).
            let restored = try await api.post("/articles/\(ids[0])/versions/4/restore", token: writer, "")
            #expect(restored.status == .ok, "\(restored.text)")
            #expect(restored.json.string("title") == "v3")
            #expect(restored.json.int("views") == 3)
            let stored = try await api.document("articles", ids[0], token: writer)
            #expect(stored.string("title") == "v3")
            let after = try await api.get("/articles/\(ids[0])/versions", token: writer).json.documents("data")
            #expect(after.first?.int("version") == 6)
            #expect(after.first?.string("op") == "restore")
            #expect(try await api.post("/articles/\(ids[0])/versions/1/restore", token: writer, "").status == .notFound)
        }
    }

    @Test func atomicFailureWritesNoVersion() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            let ids = try await api.create("products", token: admin, [#"{"name":"Fine","price":5}"#, #"{"name":"Low","price":1}"#])
            let reply = try await api.put("/products/batch?atomic=true", token: admin, #"{"ids":\#(quoted(ids)),"update":{"$inc":{"price":-3}}}"#)
            #expect(reply.status == .unprocessableContent)
            for id in ids {
                #expect(try await api.get("/products/\(id)/versions", token: admin).json.int("count") == 0)
            }
            #expect(try await api.document("products", ids[0], token: admin).int("price") == 5)
        }
    }

    @Test func aBatchNumbersEachDocumentAfterItsOwnNewestVersion() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            let ids = try await api.create("products", token: admin, (0..<3).map { #"{"name":"Doc \#($0)","price":1}"# })
            // Document 0 gets five versions, document 1 two, document 2 none; then all three at once.
            for (index, count) in [(0, 5), (1, 2)] {
                for round in 0..<count {
                    let reply = try await api.put(
                        "/products/batch", token: admin, #"{"ids":\#(quoted([ids[index]])),"update":{"price":\#(round + 2)}}"#)
                    #expect(reply.json.int("modified") == 1)
                }
            }
            let all = try await api.put("/products/batch", token: admin, #"{"ids":\#(quoted(ids)),"update":{"name":"All"}}"#)
            #expect(all.json.int("modified") == 3)
            for (id, expected) in zip(ids, [6, 3, 1]) {
                let versions = try await api.get("/products/\(id)/versions?limit=100", token: admin).json.documents("data")
                #expect(versions.compactMap { $0.int("version") } == Array((1...expected).reversed()), "\(id)")
            }
        }
    }

    @Test func concurrentUpdatesNumberVersionsWithoutGaps() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            // Every writer updates every document, so the transactions conflict and retry. Each
            // writer has a connection of its own (libcurl): the test client sends one request at
            // a time, so through it the writers would take turns and the last one wait for all.
            let ids = try await api.create("products", token: admin, (0..<20).map { #"{"name":"Doc \#($0)","price":0,"qty":0}"# })
            let url = "http://127.0.0.1:\(try #require(api.client.port))/products/batch"
            let curl = try CurlClient(maxConcurrent: 6)
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<6 {
                        group.addTask {
                            let reply = try await curl.perform(CurlRequest(
                                url: url, method: "PUT",
                                headers: [("Authorization", "Bearer \(admin)"), ("Content-Type", "application/json")],
                                body: Array(#"{"ids":\#(quoted(ids)),"update":{"$inc":{"qty":1}}}"#.utf8),
                                timeoutMilliseconds: 120_000))
                            let text = String(decoding: reply.body, as: UTF8.self)
                            #expect(reply.status == 200, "\(text)")
                            #expect((try? JSONReader.parseDocument(reply.body))?.int("modified") == 20, "\(text)")
                        }
                    }
                    try await group.waitForAll()
                }
            } catch {
                await curl.shutdown()
                throw error
            }
            await curl.shutdown()
            for id in ids {
                let doc = try await api.document("products", id, token: admin)
                #expect(doc.int("qty") == 6)
                let versions = try await api.get("/products/\(id)/versions", token: admin).json.documents("data")
                #expect(versions.compactMap { $0.int("version") }.sorted() == Array(1...6))
                #expect(Set(versions.compactMap { $0.document("data")?.int("qty") }) == Set(0..<6))
            }
        }
    }
}
