import PMBSON
import PMTestSupport
import Testing

/// Batch-mode hooks in `POST /batch`: one call per collection and event for a batch in
/// one transaction; one per operation when operations commit on their own.
@Suite("Mixed batch: batch-mode hooks")
struct MixedBatchBatchHooksTests {
    static let hooks: [HooksHarness.Hook] = [
        .init(event: "pre_create", path: "/pre-create", mode: "batch"),
        .init(event: "pre_update", path: "/pre-update", mode: "batch"),
        .init(event: "post_create", path: "/post-create", mode: "batch"),
        .init(event: "post_update", path: "/post-update", mode: "batch"),
        .init(event: "post_create", path: "/post-create-each"),
    ]

    static let operations = """
        [{"op":"create","collection":"products","data":{"name":"First","price":1}},
         {"op":"create","collection":"products","data":{"name":"Second","price":2}},
         {"op":"update","collection":"products","id":{"$ref":0},"data":{"price":3}}]
        """

    @Test func anAtomicBatchCallsEachBatchEndpointOnce() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: Self.hooks)
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await MixedBatchFixtures.batch(api, token: token, Self.operations)
            #expect(reply.statuses == [201, 201, 200], "\(reply.text)")
            let ids = reply.results.compactMap { $0.string("id") }

            let preCreate = receiver.calls(to: "/pre-create")
            #expect(preCreate.count == 1)
            let entries = preCreate.first?.json.documents("documents") ?? []
            #expect(entries.compactMap { $0.int("index") } == [0, 1])
            #expect(entries.compactMap { $0.document("document")?.string("name") } == ["First", "Second"])
            #expect(preCreate.first?.json.document("batch")?.int("size") == 2)
            let preUpdate = receiver.calls(to: "/pre-update")
            #expect(preUpdate.count == 1)
            #expect(preUpdate.first?.json.documents("documents").compactMap { $0.int("index") } == [2])
            #expect(preUpdate.first?.json.document("batch")?.string("id")
                    == preCreate.first?.json.document("batch")?.string("id"))

            let postCreate = try await receiver.waitForCalls(to: "/post-create", count: 1)
            #expect(postCreate.first?.json.documents("documents").compactMap { $0.string("id") } == [ids[0], ids[1]])
            let postUpdate = try await receiver.waitForCalls(to: "/post-update", count: 1)
            #expect(postUpdate.first?.json.documents("documents").compactMap { $0.string("id") } == [ids[0]])
            // A document-mode endpoint beside them: one delivery per document, as always.
            #expect(try await receiver.waitForCalls(to: "/post-create-each", count: 2).count == 2)
            try await Task.sleep(for: .milliseconds(300))
            #expect(receiver.calls(to: "/post-create").count == 1)
            #expect(receiver.calls(to: "/post-update").count == 1)
        }
        await receiver.stop()
    }

    @Test func aRejectedOperationRollsTheBatchBack() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        receiver.answer(body: #"{"rejected":[{"index":1,"reason":"no seconds"}]}"#, at: "/pre-create")
        let yaml = HooksHarness.yaml(port: port, hooks: Self.hooks)
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await MixedBatchFixtures.batch(api, token: token, Self.operations)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.statuses == [424, 422, 424])
            #expect(reply.errorCodes == ["rolled_back", "hook_rejected", "not_attempted"])
            #expect(reply.results[1].document("error")?.string("message")?.hasSuffix("rejected the document: no seconds") == true)
            #expect(try await api.get("/products", token: token).json.int("count") == 0)
            try await Task.sleep(for: .milliseconds(500))
            #expect(receiver.calls(to: "/post-create").isEmpty)
            #expect(receiver.calls(to: "/post-create-each").isEmpty)
        }
        await receiver.stop()
    }

    @Test func operationsThatCommitAloneCallPerOperation() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        let yaml = HooksHarness.yaml(port: port, hooks: Self.hooks)
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await MixedBatchFixtures.batch(api, token: token, Self.operations, options: #"{"atomic":false}"#)
            #expect(reply.statuses == [201, 201, 200], "\(reply.text)")
            let preCreate = receiver.calls(to: "/pre-create")
            #expect(preCreate.count == 2)
            #expect(preCreate.allSatisfy { $0.json.documents("documents").compactMap { $0.int("index") } == [0] })
            #expect(try await receiver.waitForCalls(to: "/post-create", count: 2).count == 2)
        }
        await receiver.stop()
    }
}
