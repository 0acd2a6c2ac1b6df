import HTTPTypes
import PMBSON
import PermissionMongo
import Testing

@Suite("PUT /{collection}/batch")
struct BatchUpdateTests {
    /// The seed's TestBatchUpdateWithRBAC.
    @Test func rbacFiltersTheIdsSilently() async throws {
        try await ChangeFixtures.with { api in
            let mine = try await api.token("user-123", tenant: "acme-corp", roles: ["editor"])
            let other = try await api.token("user-456", tenant: "acme-corp", roles: ["editor"])
            let owned = try await api.create("products", token: mine, [#"{"name":"Product 1","price":10}"#, #"{"name":"Product 2","price":20}"#])
            let foreign = try await api.create("products", token: other, [#"{"name":"Product 3","price":30}"#])
            let reply = try await api.put("/products/batch", token: mine,
                                          #"{"ids":\#(quoted(owned + foreign)),"update":{"status":"published"}}"#)
            #expect(reply.status == .ok)
            #expect(reply.json.int("matched") == 2)
            #expect(reply.json.int("modified") == 2)
            #expect(reply.json.documents("failed").isEmpty)
            for id in owned {
                let doc = try await api.document("products", id, token: mine)
                #expect(doc.string("status") == "published")
                #expect(doc.string("updated_by") == "user-123")
            }
            let untouched = try await api.document("products", foreign[0], token: other)
            #expect(untouched["status"] == nil)
        }
    }

    @Test func everyUpdateOperatorThroughAFilter() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            let ids = try await api.create("products", token: admin, [
                #"{"name":"Alpha","price":10,"qty":1,"category":"widgets","tags":["a","b"]}"#,
                #"{"name":"Beta","price":20,"qty":2,"category":"gadgets","tags":["b"]}"#,
            ])
            let cases: [(String, String, (BSONDocument) -> Bool)] = [
                (#"{"$set":{"status":"x"}}"#, "set", { $0.string("status") == "x" }),
                (#"{"$unset":{"status":""}}"#, "unset", { $0["status"] == nil }),
                (#"{"$inc":{"qty":5}}"#, "inc", { $0.int("qty") == 6 }),
                (#"{"$mul":{"price":2}}"#, "mul", { $0["price"] == .int32(20) || $0["price"] == .double(20) }),
                (#"{"$min":{"qty":3}}"#, "min", { $0.int("qty") == 3 }),
                (#"{"$max":{"qty":9}}"#, "max", { $0.int("qty") == 9 }),
                (#"{"$push":{"tags":"c"}}"#, "push", { $0["tags"] == .array(["a", "b", "c"]) }),
                (#"{"$pull":{"tags":"a"}}"#, "pull", { $0["tags"] == .array(["b", "c"]) }),
                (#"{"$addToSet":{"tags":{"$each":["b","d"]}}}"#, "addToSet", { $0["tags"] == .array(["b", "c", "d"]) }),
            ]
            for (update, name, check) in cases {
                let reply = try await api.put("/products/batch", token: admin, #"{"filter":{"name":"Alpha"},"update":\#(update)}"#)
                #expect(reply.status == .ok, "\(name): \(reply.text)")
                #expect(reply.json.int("matched") == 1, "\(name)")
                #expect(reply.json.int("modified") == 1, "\(name)")
                let doc = try await api.document("products", ids[0], token: admin)
                #expect(check(doc), "\(name): \(doc.jsonString)")
            }
            let beta = try await api.document("products", ids[1], token: admin)
            #expect(beta.int("qty") == 2)
            #expect(beta["status"] == nil)
        }
    }

    @Test func everyAllowedFilterOperator() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            _ = try await api.create("products", token: admin, [
                #"{"name":"Alpha","price":10,"qty":1,"category":"widgets","tags":["a","b"],"released":"2024-01-01T00:00:00Z"}"#,
                #"{"name":"Beta","price":20,"qty":2,"category":"gadgets","tags":["b"],"released":"2025-06-01T00:00:00Z"}"#,
                #"{"name":"Gamma","price":30,"category":"gadgets"}"#,
            ])
            let filters: [(String, Int)] = [
                (#"{"name":"Alpha"}"#, 1),
                (#"{"price":{"$eq":20}}"#, 1),
                (#"{"price":{"$ne":20}}"#, 2),
                (#"{"price":{"$gt":10}}"#, 2),
                (#"{"price":{"$gte":10}}"#, 3),
                (#"{"price":{"$lt":20}}"#, 1),
                (#"{"price":{"$lte":20}}"#, 2),
                (#"{"category":{"$in":["widgets","none"]}}"#, 1),
                (#"{"category":{"$nin":["widgets"]}}"#, 2),
                (#"{"qty":{"$exists":false}}"#, 1),
                (#"{"$and":[{"price":{"$gt":5}},{"category":"gadgets"}]}"#, 2),
                (#"{"$or":[{"name":"Alpha"},{"name":"Gamma"}]}"#, 2),
                (#"{"$nor":[{"name":"Alpha"},{"name":"Gamma"}]}"#, 1),
                (#"{"price":{"$not":{"$gt":15}}}"#, 1),
                (#"{"tags":{"$all":["a","b"]}}"#, 1),
                (#"{"tags":{"$size":1}}"#, 1),
                (#"{"tags":{"$elemMatch":{"$eq":"b"}}}"#, 2),
                (#"{"name":{"$regex":"^al","$options":"i"}}"#, 1),
                (#"{"released":{"$lt":"2025-01-01T00:00:00Z"}}"#, 1),
                (#"{"created_at":{"$lt":"2100-01-01T00:00:00Z"}}"#, 3),
            ]
            for (filter, expected) in filters {
                let reply = try await api.put("/products/batch", token: admin, #"{"filter":\#(filter),"update":{"status":"seen"}}"#)
                #expect(reply.status == .ok, "\(filter): \(reply.text)")
                #expect(reply.json.int("matched") == expected, "\(filter)")
            }
        }
    }

    @Test func forbiddenOperatorsAreRejected() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            _ = try await api.create("products", token: admin, [#"{"name":"Alpha","price":10}"#])
            let filters = [
                (#"{"$where":"this.price > 1"}"#, "$where"),
                (#"{"$expr":{"$gt":["$price",1]}}"#, "$expr"),
                (#"{"price":{"$function":{"body":"x","args":[],"lang":"js"}}}"#, "$function"),
                (#"{"$and":[{"price":{"$gt":1}},{"$or":[{"x":{"$accumulator":{}}}]}]}"#, "$accumulator"),
                (#"{"price":{"$x":1}}"#, "$x"),
                (#"{"$jsonSchema":{}}"#, "$jsonSchema"),
            ]
            for (filter, op) in filters {
                let reply = try await api.put("/products/batch", token: admin, #"{"filter":\#(filter),"update":{"status":"x"}}"#)
                #expect(reply.status == .badRequest, "\(filter)")
                #expect(reply.json.document("error")?.string("message")?.contains(op) == true, "\(filter): \(reply.text)")
                let delete = try await api.delete("/products/batch", token: admin, #"{"filter":\#(filter)}"#)
                #expect(delete.status == .badRequest, "\(filter)")
            }
            for update in [#"{"$rename":{"a":"b"}}"#, #"{"$where":"1"}"#, #"{"$set":{"a":1},"b":2}"#, "{}"] {
                let reply = try await api.put("/products/batch", token: admin, #"{"filter":{"name":"Alpha"},"update":\#(update)}"#)
                #expect(reply.status == .badRequest, "\(update)")
            }
            let empty = try await api.put("/products/batch", token: admin, #"{"filter":{},"update":{"status":"x"}}"#)
            #expect(empty.status == .badRequest)
            let both = try await api.put("/products/batch", token: admin, #"{"filter":{"a":1},"ids":["507f1f77bcf86cd799439011"],"update":{"status":"x"}}"#)
            #expect(both.status == .badRequest)
            let count = try await api.list("products", filter: #"{"status":"x"}"#, token: admin)
            #expect(count.json.int("count") == 0)
        }
    }

    @Test func crossTenantAttemptsMatchNothing() async throws {
        try await ChangeFixtures.with { api in
            let acme = try await api.token("a", tenant: "acme", roles: ["admin"])
            let evil = try await api.token("a", tenant: "evil", roles: ["admin"])
            let ids = try await api.create("products", token: acme, [#"{"name":"Acme one","price":1}"#, #"{"name":"Acme two","price":2}"#])
            let attempts = [
                #"{"ids":\#(quoted(ids)),"update":{"status":"hacked"}}"#,
                #"{"filter":{"name":"Acme one"},"update":{"status":"hacked"}}"#,
                #"{"filter":{"$or":[{"tenant_id":"acme"}]},"update":{"status":"hacked"}}"#,
                #"{"filter":{"tenant_id":{"$ne":"evil"}},"update":{"status":"hacked"}}"#,
            ]
            for body in attempts {
                let reply = try await api.put("/products/batch", token: evil, body)
                #expect(reply.status == .ok, "\(body)")
                #expect(reply.json.int("matched") == 0, "\(body)")
                #expect(reply.json.int("modified") == 0, "\(body)")
            }
            let deleteAttempt = try await api.delete("/products/batch", token: evil, #"{"ids":\#(quoted(ids))}"#)
            #expect(deleteAttempt.json.int("matched") == 0)
            for id in ids {
                let doc = try await api.document("products", id, token: acme)
                #expect(doc["status"] == nil)
            }
        }
    }

    @Test func postUpdateSchemaFailureIsPerIdAndChangesNothing() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            let ids = try await api.create("products", token: admin, [#"{"name":"Cheap","price":1}"#, #"{"name":"Dear","price":100}"#])
            let reply = try await api.put("/products/batch", token: admin, #"{"ids":\#(quoted(ids)),"update":{"$inc":{"price":-50}}}"#)
            #expect(reply.status == .ok)
            #expect(reply.json.int("matched") == 2)
            #expect(reply.json.int("modified") == 1)
            let failed = reply.json.documents("failed")
            #expect(failed.count == 1)
            #expect(failed.first?.string("id") == ids[0])
            #expect(failed.first?.document("error")?.string("code") == "schema_validation")
            #expect(failed.first?.document("error")?.string("message") == "price must be at least 0")
            #expect(try await api.document("products", ids[0], token: admin).int("price") == 1)
            #expect(try await api.document("products", ids[1], token: admin).int("price") == 50)

            let atomic = try await api.put("/products/batch?atomic=true", token: admin, #"{"ids":\#(quoted(ids)),"update":{"$inc":{"price":-10}}}"#)
            #expect(atomic.status == .unprocessableContent)
            #expect(atomic.json.int("matched") == 0)
            #expect(atomic.json.int("modified") == 0)
            #expect(atomic.json.documents("failed").count == 1)
            #expect(try await api.document("products", ids[1], token: admin).int("price") == 50)
        }
    }

    @Test func protectedFieldsAreRejectedAndUpdatedAtMoves() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            let ids = try await api.create("products", token: admin, [#"{"name":"Thing","price":1}"#])
            for field in ["_id", "tenant_id", "created_by", "created_at", "updated_at", "updated_by"] {
                let reply = try await api.put("/products/batch", token: admin, #"{"ids":\#(quoted(ids)),"update":{"$set":{"\#(field)":"x"}}}"#)
                #expect(reply.status == .badRequest, "\(field)")
                #expect(reply.json.document("error")?.string("message")?.contains(field) == true, "\(field)")
                let plain = try await api.put("/products/\(ids[0])", token: admin, #"{"\#(field)":"x"}"#)
                #expect(plain.status == .badRequest, "\(field)")
            }
            let before = try await api.document("products", ids[0], token: admin)
            try await Task.sleep(for: .milliseconds(20))
            let updated = try await api.put("/products/\(ids[0])", token: admin, #"{"status":"new"}"#)
            #expect(updated.status == .ok)
            #expect(updated.json.string("status") == "new")
            #expect(updated.json.string("created_at") == before.string("created_at"))
            let was = try #require(before.string("updated_at"))
            let now = try #require(updated.json.string("updated_at"))
            #expect(now > was)
        }
    }

    @Test func inheritsAndDenyWrite() async throws {
        try await ChangeFixtures.with { api in
            let editor = try await api.token("ed", roles: ["editor"])
            let pricer = try await api.token("pr", roles: ["pricer"])
            let ids = try await api.create("products", token: editor, [#"{"name":"Mine","price":5}"#])
            // editor inherits viewer's read.
            #expect(try await api.get("/products/\(ids[0])", token: editor).status == .ok)
            let denied = try await api.put("/products/batch", token: editor, #"{"ids":\#(quoted(ids)),"update":{"price":6}}"#)
            #expect(denied.status == .forbidden)
            #expect(denied.json.document("error")?.string("message")?.contains("price") == true)
            let deniedOp = try await api.put("/products/batch", token: editor, #"{"ids":\#(quoted(ids)),"update":{"$unset":{"price":""}}}"#)
            #expect(deniedOp.status == .forbidden)
            #expect(try await api.document("products", ids[0], token: editor).int("price") == 5)
            let allowed = try await api.put("/products/batch", token: pricer, #"{"ids":\#(quoted(ids)),"update":{"price":6}}"#)
            #expect(allowed.json.int("modified") == 1)
            let viewer = try await api.token("v", roles: ["viewer"])
            #expect(try await api.put("/products/batch", token: viewer, #"{"ids":\#(quoted(ids)),"update":{"status":"x"}}"#).status == .forbidden)
        }
    }

    /// An update whose operators cannot be applied to a document is that document's
    /// `write_failed`: in a batch's `failed`, and 422 (not 500) on the single route.
    @Test func anUpdateThatCannotBeAppliedIsTheRequestsFault() async throws {
        try await ChangeFixtures.with { api in
            let admin = try await api.token("a", roles: ["admin"])
            let ids = try await api.create("products", token: admin, [#"{"name":"Alpha","price":1,"status":"new"}"#])
            let batch = try await api.put("/products/batch", token: admin, #"{"ids":\#(quoted(ids)),"update":{"$inc":{"status":1}}}"#)
            #expect(batch.status == .ok, "\(batch.text)")
            let failure = batch.json.documents("failed").first?.document("error")
            #expect(failure?.string("code") == "write_failed", "\(batch.text)")
            let single = try await api.put("/products/\(ids[0])", token: admin, #"{"$inc":{"status":1}}"#)
            #expect(single.status == .unprocessableContent, "\(single.text)")
            #expect(single.json.document("error")?.string("code") == "write_failed")
            #expect(try await api.document("products", ids[0], token: admin).string("status") == "new")
        }
    }
}
