import PMBSON
import PMTestKit
import Testing

/// Batch updates and deletes MongoDB applies without the gateway reading the documents
/// (docs/API.md, "Updates and deletes pushed down"), through the real stack: what they
/// reach, what they answer, the versions they save, and where the read–modify–write path
/// takes over.
@Suite("updates and deletes pushed down")
struct PushDownTests {
    static let yaml = """
        server:
          max_batch_size: 5
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          plain:
            fields: &fields
              n:      { type: integer, required: true }
              stock:  { type: integer, required: true }
              qty:    { type: integer, min: 0 }
              owner:  { type: string }
              status: { type: string, enum: [draft, published] }
              tags:   { type: array, items: { type: string } }
          twin:
            fields: *fields
            push_down: false
          kept:
            fields: *fields
            versioning: { enabled: true, mode: diff }
            soft_delete: true
          shaped:
            fields:
              n:    { type: integer, required: true }
              dims: { type: object, fields: { w: { type: number, min: 0 }, unit: { type: string } } }
        policies:
          plain: &policy
            admin: { actions: [create, read, update, delete] }
            editor:
              actions: [read, update, delete]
              when: doc.owner == user.id
          twin: *policy
          kept: *policy
          shaped: *policy
        """

    /// 12 documents, `n` 0…11, owned by u1 (even n) and u2 (odd); `qty` null for n 3 and 7.
    static func fill(_ collection: String, _ api: GatewayClient, tenant: String = "acme-corp") async throws -> [String] {
        let admin = try await api.token("a", tenant: tenant, roles: ["admin"])
        let documents = (0..<12).map { n in
            #"{"n":\#(n),"stock":10,"qty":\#(n == 3 || n == 7 ? "null" : "1"),"owner":"u\#(n % 2 + 1)","tags":["t"]}"#
        }
        return try await api.create(collection, token: admin, Array(documents[..<5]))
            + api.create(collection, token: admin, Array(documents[5..<10]))
            + api.create(collection, token: admin, Array(documents[10...]))
    }

    static func pushedDown(_ api: GatewayClient, _ collection: String, _ operation: String) async throws -> Double {
        let metrics = MetricSamples(try await api.get("/metrics", token: nil).text)
        return metrics[#"pm_changes_pushed_down_total{collection="\#(collection)",operation="\#(operation)"}"#] ?? 0
    }

    /// The stored documents by `n`, as the admin of `tenant` reads them.
    static func stored(_ collection: String, _ api: GatewayClient, tenant: String = "acme-corp") async throws -> [Int: BSONDocument] {
        let admin = try await api.token("a", tenant: tenant, roles: ["admin"])
        var list: [BSONDocument] = []
        while true {  // pages of max_batch_size (5)
            let page = try await api.get("/\(collection)?limit=5&skip=\(list.count)&sort=n", token: admin)
            #expect(page.status == .ok, "\(page.text)")
            list += page.json.documents("data")
            if page.json.documents("data").count < 5 { break }
        }
        return Dictionary(uniqueKeysWithValues: list.compactMap { document in document.int("n").map { ($0, document) } })
    }

    @Test func anUpdateReachesItsSelectionOnlyAndAnswersTheServersCounts() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            _ = try await Self.fill("plain", api)
            _ = try await Self.fill("plain", api, tenant: "other")
            let u1 = try await api.token("u1", roles: ["editor"])

            let reply = try await api.put("/plain/batch", token: u1, #"{"filter":{"n":{"$lt":8}},"update":{"$set":{"status":"published"},"$inc":{"stock":-3}}}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json.int("matched") == 4 && reply.json.int("modified") == 4, "\(reply.text)")
            #expect(try await Self.pushedDown(api, "plain", "update") == 1)
            let stored = try await Self.stored("plain", api)
            #expect(stored.count == 12)
            for (n, document) in stored {
                let reached = n < 8 && n % 2 == 0
                #expect(document.string("status") == (reached ? "published" : nil), "n \(n)")
                #expect(document.int("stock") == (reached ? 7 : 10), "n \(n)")
                #expect((document.string("updated_by") == "u1") == reached, "n \(n)")
            }
            // Another tenant's documents of the same filter are untouched.
            let others = try await Self.stored("plain", api, tenant: "other")
            #expect(others.count == 12 && others.values.allSatisfy { $0.string("status") == nil })

            // By ids: a hidden id (u2's) and one of another tenant are skipped.
            let ids = try await Self.fill("plain", api)
            let byIds = try await api.put("/plain/batch", token: u1, #"{"ids":["\#(ids[0])","\#(ids[1])","\#(ids[2])"],"update":{"$unset":{"status":""},"$addToSet":{"tags":"x"}}}"#)
            #expect(byIds.json.int("matched") == 2 && byIds.json.int("modified") == 2, "\(byIds.text)")
            #expect(try await Self.pushedDown(api, "plain", "update") == 2)

            // $pull needs the documents; a collection with push_down: false never pushes down.
            let pulled = try await api.put("/plain/batch", token: u1, #"{"filter":{"n":{"$gte":0}},"update":{"$pull":{"tags":"t"}}}"#)
            #expect(pulled.json.int("modified") == 12, "\(pulled.text)")
            _ = try await Self.fill("twin", api)
            let twin = try await api.put("/twin/batch", token: u1, #"{"filter":{"n":{"$gte":0}},"update":{"status":"draft"}}"#)
            #expect(twin.json.int("modified") == 6, "\(twin.text)")
            #expect(try await Self.pushedDown(api, "plain", "update") == 2)
            #expect(try await Self.pushedDown(api, "twin", "update") == 0)
        }
    }

    /// `$inc` of an optional field meets `null` in two documents: MongoDB refuses the whole
    /// update, and the read–modify–write path answers document by document, as it would have.
    @Test func anUpdateMongoDBRefusesIsDecidedDocumentByDocument() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let ids = try await Self.fill("plain", api)
            let u2 = try await api.token("u2", roles: ["editor"])

            let atomic = try await api.put("/plain/batch?atomic=true", token: u2, #"{"filter":{"n":{"$gte":0}},"update":{"$inc":{"qty":1}}}"#)
            #expect(atomic.status == .unprocessableContent, "\(atomic.text)")
            let unchanged = try await Self.stored("plain", api)
            #expect(unchanged.count == 12 && unchanged.values.allSatisfy { $0.int("qty") == nil || $0.int("qty") == 1 })

            let reply = try await api.put("/plain/batch", token: u2, #"{"filter":{"n":{"$gte":0}},"update":{"$inc":{"qty":1}}}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json.int("matched") == 6 && reply.json.int("modified") == 4, "\(reply.text)")
            let failed = reply.json.documents("failed")
            #expect(Set(failed.compactMap { $0.string("id") }) == [ids[3], ids[7]], "\(reply.text)")
            #expect(failed.allSatisfy { $0.document("error")?.string("code") == "write_failed" })
            let stored = try await Self.stored("plain", api)
            #expect(stored.count == 12)
            for (n, document) in stored where n % 2 == 1 && n != 3 && n != 7 { #expect(document.int("qty") == 2, "n \(n)") }
            #expect(try await Self.pushedDown(api, "plain", "update") == 0)
        }
    }

    /// A path inside an object field: MongoDB changes it where the object is, creates the
    /// object where it is missing, and refuses where it is null — then the read–modify–write
    /// path fails that document alone, as it would have without the push-down.
    @Test func aPathInsideAnObjectIsPushedDown() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let admin = try await api.token("a", roles: ["admin"])
            let ids = try await api.create("shaped", token: admin, [
                #"{"n":0,"dims":{"w":1,"unit":"cm"}}"#, #"{"n":1}"#, #"{"n":2,"dims":null}"#,
            ])

            let reply = try await api.put("/shaped/batch", token: admin, #"{"filter":{"n":{"$lt":2}},"update":{"$inc":{"dims.w":2}}}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json.int("matched") == 2 && reply.json.int("modified") == 2, "\(reply.text)")
            #expect(try await Self.pushedDown(api, "shaped", "update") == 1)
            var stored = try await Self.stored("shaped", api)
            #expect(stored[0]?.document("dims")?.jsonString == #"{"w":3,"unit":"cm"}"#, "\(String(describing: stored[0]))")
            #expect(stored[1]?.document("dims")?.jsonString == #"{"w":2}"#, "\(String(describing: stored[1]))")

            let refused = try await api.put("/shaped/batch", token: admin, #"{"filter":{"n":{"$gte":1}},"update":{"$set":{"dims.w":5}}}"#)
            #expect(refused.status == .ok, "\(refused.text)")
            #expect(refused.json.int("matched") == 2 && refused.json.int("modified") == 1, "\(refused.text)")
            let failed = refused.json.documents("failed")
            #expect(failed.compactMap { $0.string("id") } == [ids[2]], "\(refused.text)")
            #expect(failed.first?.document("error")?.string("code") == "write_failed", "\(refused.text)")
            #expect(try await Self.pushedDown(api, "shaped", "update") == 1)
            stored = try await Self.stored("shaped", api)
            #expect(stored[1]?.document("dims")?.jsonString == #"{"w":5}"#, "\(String(describing: stored[1]))")
            #expect(stored[2]?["dims"] == .null, "\(String(describing: stored[2]))")
        }
    }

    /// Versioned, by filter, in chunks of 5: one version per document changed, numbered
    /// without gaps, differences saved; the soft delete saves the whole document.
    @Test func versionsAreSavedForExactlyTheDocumentsChanged() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let ids = try await Self.fill("kept", api)
            let admin = try await api.token("a", roles: ["admin"])
            let first = try await api.put("/kept/batch", token: admin, #"{"filter":{"n":{"$gte":1}},"update":{"status":"draft"}}"#)
            #expect(first.json.int("matched") == 11 && first.json.int("modified") == 11, "\(first.text)")
            let second = try await api.put("/kept/batch", token: admin, #"{"filter":{"n":{"$gte":0}},"update":{"$inc":{"stock":5}}}"#)
            #expect(second.json.int("matched") == 12 && second.json.int("modified") == 12, "\(second.text)")
            let deleted = try await api.delete("/kept/batch", token: admin, #"{"filter":{"n":{"$lt":6}}}"#)
            #expect(deleted.json.int("matched") == 6 && deleted.json.int("deleted") == 6, "\(deleted.text)")
            #expect(try await Self.pushedDown(api, "kept", "update") == 2)
            #expect(try await Self.pushedDown(api, "kept", "delete") == 1)

            for (n, id) in ids.enumerated() {
                let versions = try await api.get("/kept/\(id)/versions?limit=100", token: admin).json.documents("data")
                var expected = [(op: "update", changed: "stock")]
                if n >= 1 { expected.insert((op: "update", changed: "status"), at: 0) }
                if n < 6 { expected.append((op: "delete", changed: "")) }
                #expect(versions.map { $0.int("version") } == Array((1...expected.count).reversed()), "n \(n)")
                #expect(versions.map { $0.string("op") } == expected.reversed().map(\.op), "n \(n)")
                for (version, want) in zip(versions.reversed(), expected) where want.op == "update" {
                    let changed = version.documents("changes").compactMap { $0.string("field") }
                    #expect(changed.contains(want.changed), "n \(n): \(version.jsonString)")
                }
            }
            let left = try await Self.stored("kept", api)
            #expect(left.keys.sorted() == Array(6..<12))
            #expect(left.values.allSatisfy { $0.int("stock") == 15 })
        }
    }
}
