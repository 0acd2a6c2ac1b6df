import Foundation
import HTTPTypes
import PMBSON
import PMTestSupport
import Testing

@Suite("pre_update and pre_delete hooks")
struct HooksPreChangeTests {
    @Test func preUpdateSeesIdBeforeAndUpdateAndCanRejectOneDocument() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(422, forName: "Blocked")
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "pre_update", path: "/check")])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token("user-5", tenant: "acme")
            let ids = try await api.post("/products/batch", token: token, HooksHarness.documents(["Allowed", "Blocked"]))
                .json.strings("created")
            #expect(ids.count == 2)
            let reply = try await api.send(.put, "/products/batch", token: token, body: """
                {"ids":["\(ids[0])","\(ids[1])"],"update":{"price":20}}
                """)
            #expect(reply.status == .ok)
            #expect(reply.json.int("matched") == 2)
            #expect(reply.json.int("modified") == 1)
            let failed = reply.json.documents("failed")
            #expect(failed.count == 1)
            #expect(failed.first?.string("id") == ids[1])
            #expect(failed.first?.document("error")?.string("code") == "hook_rejected")
            #expect(failed.first?.document("error")?.string("message")
                    == "pre_update hook http://127.0.0.1:\(port)/check rejected the document: status 422")
            let calls = receiver.calls(to: "/check").map(\.json)
            #expect(calls.count == 2)
            for payload in calls {
                #expect(payload.keys == ["event", "collection", "tenant_id", "user", "index", "batch", "id", "before", "update"])
                #expect(payload.string("event") == "pre_update")
                #expect(payload.document("before")?.string("_id") == payload.string("id"))
                #expect(payload.document("before")?.int("price") == 10)
                #expect(payload.document("update")?.int("price") == 20)
                #expect(payload.document("batch")?.int("size") == 2)
            }
            #expect(Set(calls.compactMap { $0.int("index") }) == [0, 1])
            let blocked = try await api.get("/products/\(ids[1])", token: token)
            #expect(blocked.json.int("price") == 10)
        }
        await receiver.stop()
    }

    @Test func preDeleteSeesIdAndDocumentAndCanRejectOneDocument() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(409, forName: "Keep me")
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "pre_delete", path: "/check")])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let ids = try await api.post("/products/batch", token: token, HooksHarness.documents(["Remove me", "Keep me"]))
                .json.strings("created")
            let reply = try await api.send(.delete, "/products/batch", token: token, body: """
                {"ids":["\(ids[0])","\(ids[1])"]}
                """)
            #expect(reply.status == .ok)
            #expect(reply.json.int("deleted") == 1)
            #expect(reply.json.documents("failed").first?.string("id") == ids[1])
            #expect(reply.json.documents("failed").first?.document("error")?.string("code") == "hook_rejected")
            let calls = receiver.calls(to: "/check").map(\.json)
            #expect(calls.count == 2)
            for payload in calls {
                #expect(payload.keys == ["event", "collection", "tenant_id", "user", "index", "batch", "id", "document"])
                #expect(payload.string("event") == "pre_delete")
                #expect(payload.document("document")?.string("_id") == payload.string("id"))
            }
            #expect(try await api.get("/products/\(ids[1])", token: token).status == .ok)
            #expect(try await api.get("/products/\(ids[0])", token: token).status == .notFound)
        }
        await receiver.stop()
    }
}
