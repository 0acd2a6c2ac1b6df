import Foundation
import HTTPTypes
import PMBSON
import PMTestSupport
import Testing

/// Batch-mode pre-hooks: one call per request (per `max_documents`), and the receiver's
/// `rejected` answer (docs/API.md, "Batch-mode hooks").
@Suite("pre hooks in batch mode")
struct HooksBatchPreTests {
    @Test func oneCallForTheBatchAndTheRejectedDocumentsFail() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(body: #"{"rejected":[{"index":1,"reason":"duplicate SKU"}]}"#, at: "/check")
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "pre_create", path: "/check", mode: "batch")])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token("user-7", tenant: "acme")
            let reply = try await api.post(
                "/products/batch", token: token, HooksHarness.documents(["First one", "Second one", "Third one"]))
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.json.strings("created").count == 2)
            let failed = reply.json.documents("failed")
            #expect(failed.compactMap { $0.int("index") } == [1])
            #expect(failed.first?.document("error")?.string("code") == "hook_rejected")
            #expect(failed.first?.document("error")?.string("message")
                    == "pre_create hook http://127.0.0.1:\(port)/check rejected the document: duplicate SKU")

            let calls = receiver.calls(to: "/check")
            #expect(calls.count == 1)
            let payload = try #require(calls.first?.json)
            #expect(payload.keys == ["event", "collection", "tenant_id", "user", "batch", "documents"])
            #expect(payload.string("event") == "pre_create")
            #expect(payload.string("tenant_id") == "acme")
            #expect(payload.document("user")?.string("id") == "user-7")
            #expect(payload.document("batch")?.int("size") == 3)
            let entries = payload.documents("documents")
            #expect(entries.map(\.keys) == Array(repeating: ["index", "document"], count: 3))
            #expect(entries.compactMap { $0.int("index") } == [0, 1, 2])
            #expect(entries.compactMap { $0.document("document")?.string("name") } == ["First one", "Second one", "Third one"])
            #expect(calls.first?.header("X-PM-Event") == "pre_create")
            // The ids the hook saw are the ids stored.
            let seen = Set(entries.compactMap { $0.document("document")?.string("_id") })
            #expect(Set(reply.json.strings("created")).isSubset(of: seen))
            #expect(try await api.get("/products", token: token).json.int("count") == 2)
        }
        await receiver.stop()
    }

    @Test func largerBatchesAreSplitByMaxDocuments() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: [
            .init(event: "pre_create", path: "/check", mode: "batch", maxDocuments: 2),
        ])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await api.post(
                "/products/batch", token: token, HooksHarness.documents(["Doc 0", "Doc 1", "Doc 2", "Doc 3", "Doc 4"]))
            #expect(reply.json.strings("created").count == 5)
            let payloads = receiver.calls(to: "/check").map(\.json)
            #expect(payloads.map { $0.documents("documents").count }.sorted() == [1, 2, 2])
            #expect(payloads.flatMap { $0.documents("documents").compactMap { $0.int("index") } }.sorted() == [0, 1, 2, 3, 4])
            #expect(Set(payloads.compactMap { $0.document("batch")?.string("id") }).count == 1)
            #expect(payloads.allSatisfy { $0.document("batch")?.int("size") == 5 })
        }
        await receiver.stop()
    }

    @Test func anUnusableAnswerRefusesTheWholeCall() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: [.init(event: "pre_create", path: "/check", mode: "batch")])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let prefix = "pre_create hook http://127.0.0.1:\(port)/check rejected the document: "
            for (answer, status, reason) in [
                (#"{"rejected":[{"index":7,"reason":"x"}]}"#, 200, "the answer names index 7, which is not in the call"),
                ("this is not JSON", 200, "the answer is not a JSON object"),
                (#"{"rejected":[]}"#, 503, "status 503"),
            ] {
                receiver.answer(body: answer, at: "/check")
                receiver.answer(status, at: "/check")
                let reply = try await api.post("/products/batch", token: token, HooksHarness.documents(["Aaa", "Bbb"]))
                #expect(reply.status == .created, "\(reply.text)")
                #expect(reply.json.strings("created").isEmpty)
                let messages = reply.json.documents("failed").compactMap { $0.document("error")?.string("message") }
                #expect(messages.count == 2)
                #expect(messages.allSatisfy { $0.hasPrefix(prefix + reason) }, "\(messages)")
            }
            #expect(try await api.get("/products", token: token).json.int("count") == 0)
            let metrics = try await api.get("/metrics", token: nil)
            #expect(metrics.text.contains(#"pm_hook_failures_total{event="pre_create",reason="answer"} 2"#), "\(metrics.text)")
        }
        await receiver.stop()
    }

    @Test func anAtomicBatchWithARejectedDocumentWritesNothing() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(body: #"{"rejected":[{"index":0,"reason":"not today"}]}"#, at: "/check")
        let yaml = HooksHarness.yaml(port: port, hooks: [
            .init(event: "pre_create", path: "/check", mode: "batch"), .init(event: "pre_create", path: "/each"),
        ])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await api.post(
                "/products/batch?atomic=true", token: token, HooksHarness.documents(["Aaa", "Bbb"]))
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.json.strings("created").isEmpty)
            #expect(reply.json.documents("failed").compactMap { $0.int("index") } == [0])
            // A document-mode endpoint beside it still gets one call per document.
            #expect(receiver.calls(to: "/each").count == 2)
            #expect(receiver.calls(to: "/check").count == 1)
            #expect(try await api.get("/products", token: token).json.int("count") == 0)
        }
        await receiver.stop()
    }

    @Test func updateAndDeleteEntries() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: [
            .init(event: "pre_update", path: "/update", mode: "batch"),
            .init(event: "pre_delete", path: "/delete", mode: "batch"),
        ])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let ids = try await api.post(
                "/products/batch", token: token, HooksHarness.documents(["Aaa", "Bbb", "Ccc"])).json.strings("created")
            #expect(ids.count == 3)
            receiver.answer(body: #"{"rejected":[{"index":2,"reason":"frozen"}]}"#, at: "/update")
            let quoted = ids.map { "\"\($0)\"" }.joined(separator: ",")
            let update = try await api.send(.put, "/products/batch", token: token, body: #"{"ids":[\#(quoted)],"update":{"price":5}}"#)
            #expect(update.json.int("modified") == 2, "\(update.text)")
            let failed = update.json.documents("failed")
            #expect(failed.count == 1)
            let payload = try #require(receiver.calls(to: "/update").first?.json)
            #expect(receiver.calls(to: "/update").count == 1)
            let entries = payload.documents("documents")
            #expect(entries.map(\.keys) == Array(repeating: ["index", "id", "before", "update"], count: 3))
            let rejectedId = entries.first { $0.int("index") == 2 }?.string("id")
            #expect(failed.first?.string("id") == rejectedId)
            #expect(failed.first?.document("error")?.string("message")?.hasSuffix("rejected the document: frozen") == true)
            #expect(entries.allSatisfy { $0.document("update") == BSONDocument(["price": .int32(5)]) })

            let delete = try await api.send(.delete, "/products/batch", token: token, body: #"{"ids":[\#(quoted)]}"#)
            #expect(delete.json.int("deleted") == 3, "\(delete.text)")
            let deletes = receiver.calls(to: "/delete")
            #expect(deletes.count == 1)
            #expect(deletes.first?.json.documents("documents").map(\.keys) == Array(repeating: ["index", "id", "document"], count: 3))
        }
        await receiver.stop()
    }
}
