import Foundation
import HTTPTypes
import PMBSON
import PMTestSupport
import Testing

/// `/_hooks/deliveries`: inspecting and replaying the deliveries of one's own tenant, and
/// the retention of settled records (docs/API.md, "Inspecting and replaying deliveries").
@Suite("hooks: inspecting and replaying deliveries")
struct HooksDeliveriesRoutesTests {
    @Test func adminsListAndReplayTheirOwnTenantsDeliveries() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(500, at: "/index")
        receiver.sleep(.seconds(8), at: "/slow")
        let yaml = HooksHarness.yaml(
            port: port,
            hooks: [
                .init(event: "post_create", path: "/index"),
                .init(event: "post_create", path: "/slow", timeoutMs: 15_000, collection: "orders"),
            ],
            maxAttempts: 1)
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let editor = try await api.token("u1", tenant: "acme")
            let admin = try await api.token("a1", tenant: "acme", roles: ["editor", "admin"])
            let otherAdmin = try await api.token("b1", tenant: "beta", roles: ["editor", "admin"])
            let created = try await api.post("/products/batch", token: editor, HooksHarness.documents(["Aaa", "Bbb", "Ccc"]))
                .json.strings("created")
            #expect(created.count == 3)
            let theirs = try await api.post("/products/batch", token: otherAdmin, HooksHarness.documents(["Zzz"]))
            #expect(theirs.json.strings("created").count == 1)
            let started = BSONDate.now()
            // Every delivery fails once (hook_max_attempts 1): dead.
            var dead: [BSONDocument] = []
            for _ in 0..<200 {
                dead = try await api.get("/_hooks/deliveries?status=dead", token: admin).json.documents("data")
                if dead.count == 3 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(dead.count == 3)
            #expect(Set(dead.compactMap { $0.string("doc_id") }) == Set(created))
            #expect(dead.allSatisfy { $0.string("tenant_id") == "acme" && $0.string("last_error") == "status 500" })
            #expect(dead.allSatisfy { $0.string("url") == "http://127.0.0.1:\(port)/index" && $0["settled_at"] != nil })
            let ids = dead.compactMap { $0.string("_id") }
            #expect(ids == ids.sorted(by: >))  // newest first

            // Who may: an admin role, own tenant only.
            #expect(try await api.get("/_hooks/deliveries", token: nil).status == .unauthorized)
            #expect(try await api.get("/_hooks/deliveries", token: editor).status == .forbidden)
            let beta = try await api.get("/_hooks/deliveries", token: otherAdmin).json
            #expect(beta.documents("data").count == 1)
            #expect(beta.documents("data").first?.string("tenant_id") == "beta")

            // Paging and filters.
            let first = try await api.get("/_hooks/deliveries?status=dead&limit=2", token: admin).json
            #expect(first.documents("data").compactMap { $0.string("_id") } == Array(ids.prefix(2)))
            let next = try #require(first.string("next"))
            let second = try await api.get("/_hooks/deliveries?status=dead&limit=2&after=\(next)", token: admin).json
            #expect(second.documents("data").compactMap { $0.string("_id") } == [ids[2]])
            #expect(second["next"] == .null)
            #expect(try await api.get("/_hooks/deliveries?collection=orders", token: admin).json.documents("data").isEmpty)
            #expect(try await api.get("/_hooks/deliveries?event=post_update", token: admin).json.documents("data").isEmpty)
            #expect(try await api.get("/_hooks/deliveries?event=post_create&collection=products", token: admin)
                .json.documents("data").count == 3)
            #expect(try await api.get("/_hooks/deliveries?since=2020-01-01T00:00:00Z", token: admin).json.documents("data").count == 3)
            let later = BSONDate(millisecondsSince1970: started.millisecondsSince1970 + 3_600_000)
            #expect(try await api.get("/_hooks/deliveries?since=\(later.iso8601String)", token: admin).json.documents("data").isEmpty)
            for bad in ["status=lost", "event=pre_create", "since=yesterday", "after=xyz", "limit=0", "limit=21"] {
                let reply = try await api.get("/_hooks/deliveries?\(bad)", token: admin)
                #expect(reply.status == .badRequest, "\(bad): \(reply.text)")
            }

            // Replaying one: due again with its attempts reset, then delivered.
            receiver.answer(200, at: "/index")
            #expect(try await api.post("/_hooks/deliveries/\(ids[0])/retry", token: editor, "").status == .forbidden)
            #expect(try await api.post("/_hooks/deliveries/\(ids[0])/retry", token: otherAdmin, "").status == .notFound)
            #expect(try await api.post("/_hooks/deliveries/nonsense/retry", token: admin, "").status == .notFound)
            let replayed = try await api.post("/_hooks/deliveries/\(ids[0])/retry", token: admin, "")
            #expect(replayed.status == .accepted, "\(replayed.text)")
            #expect(replayed.json.string("status") == "pending")
            #expect(replayed.json.int("attempts") == 0)
            #expect(replayed.json["settled_at"] == nil && replayed.json["dead_at"] == nil)
            let delivered = try await receiver.waitForCalls(to: "/index", count: 5)
            #expect(delivered.last?.header("X-PM-Event-Id") == ids[0])
            #expect(delivered.last?.header("X-PM-Delivery-Attempt") == "1")

            // A pending delivery (its receiver is slow to answer) is due already.
            let order = try await api.post("/orders/batch", token: editor, HooksHarness.documents(["Order one"]))
            #expect(order.json.strings("created").count == 1)
            _ = try await receiver.waitForCalls(to: "/slow", count: 1)
            let pending = try await api.get("/_hooks/deliveries?collection=orders", token: admin).json.documents("data")
            #expect(pending.map { $0.string("status") } == ["pending"])
            let conflict = try await api.post("/_hooks/deliveries/\(pending.first?.string("_id") ?? "")/retry", token: admin, "")
            #expect(conflict.status == .conflict, "\(conflict.text)")

            // Replaying by filter: the two dead ones left.
            for body in [#"{"status":"pending"}"#, #"{"state":"dead"}"#, #"{"event":"pre_create"}"#, "[]"] {
                let reply = try await api.post("/_hooks/deliveries/retry", token: admin, body)
                #expect(reply.status == .badRequest, "\(body): \(reply.text)")
            }
            #expect(try await api.post("/_hooks/deliveries/retry", token: editor, "{}").status == .forbidden)
            let many = try await api.post("/_hooks/deliveries/retry", token: admin, #"{"status":"dead","collection":"products"}"#)
            #expect(many.status == .accepted, "\(many.text)")
            #expect(many.json.int("scheduled") == 2)
            _ = try await receiver.waitForCalls(to: "/index", count: 7)
            var settled: [BSONDocument] = []
            for _ in 0..<200 {
                settled = try await api.get("/_hooks/deliveries?status=delivered", token: admin).json.documents("data")
                if settled.count == 3 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(Set(settled.compactMap { $0.string("_id") }) == Set(ids))
            // The other tenant's dead delivery was not touched.
            #expect(try await api.get("/_hooks/deliveries?status=dead", token: otherAdmin).json.documents("data").count == 1)

            // Three deliveries (or four, when the slow one was answered by now) reached a 2xx.
            let metrics = try await api.get("/metrics", token: nil).text
            let count = metrics.split(separator: "\n").first { $0.hasPrefix("pm_hook_delivery_latency_seconds_count ") }
                .flatMap { Int($0.split(separator: " ").last ?? "") }
            #expect((3...4).contains(count ?? 0), "\(metrics)")
        }
        await receiver.stop()
    }

    @Test func settledRecordsExpireAfterTheRetentionDays() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let database = TestBackend.uniqueDatabaseName()
        let pool = try await TestBackend.makePool(database: database)
        defer { pool.close() }
        for days in [3, 5] {
            let yaml = HooksHarness.yaml(
                port: port, hooks: [.init(event: "post_create", path: "/index")], server: ["hook_retention_days: \(days)"])
            try await HooksHarness.with(yaml: yaml, database: database) { api in
                let token = try await api.token()
                _ = try await api.post("/products/batch", token: token, HooksHarness.documents(["Aaa"]))
                _ = try await receiver.waitForCalls(to: "/index", count: days == 3 ? 1 : 2)
            }
            let reply = try await pool.withConnection {
                try $0.runCommand(TestBSON.document(#"{"listIndexes":"_pm_outbox"}"#))
            }
            let indexes = try BSONDocument(bsonBytes: reply).document("cursor")?.documents("firstBatch") ?? []
            let retention = indexes.first { $0.string("name") == "pm_outbox_retention" }
            #expect(retention?.document("key") == BSONDocument(["settled_at": .int32(1)]))
            #expect(retention?.int("expireAfterSeconds") == days * 86_400)
        }
        let delivered = try await pool.withConnection {
            try $0.find(collection: "_pm_outbox", filter: TestBSON.document(#"{"status":"delivered"}"#))
        }.map { try BSONDocument(bsonBytes: $0) }
        #expect(delivered.count == 2)
        #expect(delivered.allSatisfy { if case .date = $0["settled_at"] { true } else { false } })
        await receiver.stop()
    }
}
