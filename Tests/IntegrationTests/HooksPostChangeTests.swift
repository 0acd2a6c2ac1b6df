import Foundation
import HTTPTypes
import PMBSON
import PMTestSupport
import Testing

@Suite("post_update and post_delete hooks")
struct HooksPostChangeTests {
    @Test func updatesAndDeletesAreDeliveredWithTheStoredDocument() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: [
            .init(event: "post_update", path: "/updated"), .init(event: "post_delete", path: "/deleted"),
        ])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token("user-7", tenant: "acme")
            let ids = try await api.post("/products/batch", token: token, HooksHarness.documents(["One", "Two", "Three"]))
                .json.strings("created")
            #expect(ids.count == 3)
            // One update fails validation: it is not delivered.
            let update = try await api.send(.put, "/products/batch", token: token, body: """
                {"ids":["\(ids[0])","\(ids[1])"],"update":{"price":25}}
                """)
            #expect(update.json.int("modified") == 2)
            let invalid = try await api.send(.put, "/products/batch", token: token, body: """
                {"ids":["\(ids[2])"],"update":{"price":-1}}
                """)
            #expect(invalid.json.documents("failed").count == 1)
            let updated = try await receiver.waitForCalls(to: "/updated", count: 2)
            for payload in updated.map(\.json) {
                #expect(payload.keys == ["event", "collection", "tenant_id", "user", "index", "batch", "id", "document"])
                #expect(payload.string("event") == "post_update")
                #expect(payload.document("document")?.int("price") == 25)
                #expect(payload.document("document")?.string("updated_by") == "user-7")
                #expect(payload.document("batch")?.int("size") == 2)
            }
            #expect(Set(updated.compactMap { $0.json.string("id") }) == Set(ids[0...1]))

            let delete = try await api.send(.delete, "/products/batch", token: token, body: #"{"ids":["\#(ids[0])"]}"#)
            #expect(delete.json.int("deleted") == 1)
            let deleted = try await receiver.waitForCalls(to: "/deleted", count: 1)
            #expect(deleted.first?.json.string("event") == "post_delete")
            #expect(deleted.first?.json.string("id") == ids[0])
            #expect(deleted.first?.json.document("document")?.string("name") == "One")
            try await Task.sleep(for: .milliseconds(300))
            #expect(receiver.calls(to: "/updated").count == 2)
            #expect(receiver.calls(to: "/deleted").count == 1)
        }
        await receiver.stop()
    }

    @Test func anAtomicUpdateThatFailsRecordsNoDelivery() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "post_update", path: "/updated")])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let ids = try await api.post("/products/batch", token: token, HooksHarness.documents(["One", "Two"]))
                .json.strings("created")
            let reply = try await api.send(.put, "/products/batch?atomic=true", token: token, body: """
                {"ids":["\(ids[0])","\(ids[1])"],"update":{"$inc":{"price":-11}}}
                """)
            #expect(reply.status == .unprocessableContent)
            try await Task.sleep(for: .milliseconds(800))
            #expect(receiver.calls(to: "/updated").isEmpty)
        }
        await receiver.stop()
    }
}
