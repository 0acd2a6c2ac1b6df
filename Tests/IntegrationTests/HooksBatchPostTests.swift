import Foundation
import PMBSON
import PMTestSupport
import Testing

/// Batch-mode post-hooks: one outbox record per endpoint and request (per
/// `max_documents`), recorded in the write's transaction and delivered as one.
@Suite("post hooks in batch mode")
struct HooksBatchPostTests {
    @Test func oneDeliveryPerRequestWithEveryWrittenDocument() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: [
            .init(event: "post_create", path: "/created", mode: "batch"),
            .init(event: "post_update", path: "/updated", mode: "batch"),
            .init(event: "post_delete", path: "/deleted", mode: "batch"),
        ])
        let database = TestBackend.uniqueDatabaseName()
        let outbox = try await TestBackend.makePool(database: database)
        defer { outbox.close() }
        try await HooksHarness.with(yaml: yaml, database: database) { api in
            let token = try await api.token("user-9", tenant: "acme")
            // One invalid document: it is not in the delivery.
            let reply = try await api.post("/products/batch", token: token, #"""
                {"documents":[{"name":"Alpha","price":1},{"name":"No"},{"name":"Bravo","price":2},{"name":"Charlie","price":3}]}
                """#)
            let created = reply.json.strings("created")
            #expect(created.count == 3, "\(reply.text)")
            let calls = try await receiver.waitForCalls(to: "/created", count: 1)
            try await Task.sleep(for: .milliseconds(300))  // nothing more arrives
            #expect(receiver.calls(to: "/created").count == 1)
            let payload = try #require(calls.first?.json)
            #expect(payload.keys == ["event", "collection", "tenant_id", "user", "batch", "documents"])
            #expect(payload.document("batch")?.int("size") == 4)
            let entries = payload.documents("documents")
            #expect(entries.map(\.keys) == Array(repeating: ["id", "document"], count: 3))
            #expect(entries.compactMap { $0.string("id") } == created)
            #expect(entries.compactMap { $0.document("document")?.string("name") } == ["Alpha", "Bravo", "Charlie"])
            #expect(calls.first?.header("X-PM-Event") == "post_create")
            #expect(calls.first?.header("X-PM-Delivery-Attempt") == "1")
            let eventId = try #require(calls.first?.header("X-PM-Event-Id"))
            let records = try await outbox.withConnection {
                try $0.find(collection: "_pm_outbox", filter: TestBSON.document("{}"))
            }.map { try BSONDocument(bsonBytes: $0) }
            #expect(records.count == 1)
            #expect(records.first?["_id"] == .objectId(ObjectId(hex: eventId)!))
            #expect(records.first?["doc_id"] == nil)
            if case .array(let ids)? = records.first?["doc_ids"] {
                #expect(ids == created.map { .objectId(ObjectId(hex: $0)!) })
            } else {
                Issue.record("no doc_ids in \(String(describing: records.first))")
            }

            let quoted = created.map { "\"\($0)\"" }.joined(separator: ",")
            let update = try await api.send(.put, "/products/batch", token: token, body: #"{"ids":[\#(quoted)],"update":{"price":7}}"#)
            #expect(update.json.int("modified") == 3, "\(update.text)")
            let updated = try await receiver.waitForCalls(to: "/updated", count: 1)
            let updatedEntries = updated.first?.json.documents("documents") ?? []
            #expect(Set(updatedEntries.compactMap { $0.string("id") }) == Set(created))
            #expect(updatedEntries.allSatisfy { $0.document("document")?.int("price") == 7 })

            let delete = try await api.send(.delete, "/products/batch", token: token, body: #"{"ids":[\#(quoted)]}"#)
            #expect(delete.json.int("deleted") == 3, "\(delete.text)")
            let deleted = try await receiver.waitForCalls(to: "/deleted", count: 1)
            #expect(Set(deleted.first?.json.documents("documents").compactMap { $0.string("id") } ?? []) == Set(created))
            try await Task.sleep(for: .milliseconds(300))
            #expect(receiver.calls(to: "/updated").count == 1)
            #expect(receiver.calls(to: "/deleted").count == 1)
        }
        await receiver.stop()
    }

    @Test func splitByMaxDocumentsAndRetriedAsOne() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(503, at: "/created")
        let yaml = HooksHarness.yaml(port: port, hooks: [
            .init(event: "post_create", path: "/created", mode: "batch", maxDocuments: 2),
        ])
        let database = TestBackend.uniqueDatabaseName()
        let outbox = try await TestBackend.makePool(database: database)
        defer { outbox.close() }
        try await HooksHarness.with(yaml: yaml, database: database) { api in
            let token = try await api.token()
            let reply = try await api.post(
                "/products/batch", token: token, HooksHarness.documents(["Doc 0", "Doc 1", "Doc 2", "Doc 3", "Doc 4"]))
            let created = reply.json.strings("created")
            #expect(created.count == 5)
            _ = try await receiver.waitForCalls(to: "/created", count: 6)
            receiver.answer(200, at: "/created")
            let delivered = try TestBSON.document(#"{"status":"delivered"}"#)
            for _ in 0..<400 {
                if try await outbox.withConnection({ try $0.count(collection: "_pm_outbox", filter: delivered) }) == 3 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await outbox.withConnection { try $0.count(collection: "_pm_outbox", filter: delivered) } == 3)
            let byEvent = Dictionary(grouping: receiver.calls(to: "/created"), by: { $0.header("X-PM-Event-Id") ?? "" })
            #expect(byEvent.count == 3)
            #expect(byEvent.values.contains { $0.count > 1 })
            // Every attempt of one delivery carries the same documents.
            for calls in byEvent.values {
                #expect(Set(calls.map { $0.json.documents("documents").compactMap { $0.string("id") } }).count == 1)
            }
            let parts = byEvent.values.compactMap { $0.first?.json.documents("documents").compactMap { $0.string("id") } }
            #expect(parts.map(\.count).sorted() == [1, 2, 2])
            #expect(Set(parts.flatMap { $0 }) == Set(created))
        }
        await receiver.stop()
    }
}
