import PMBSON
import PMTestSupport
import Testing

@Suite("Mixed batch: hooks")
struct MixedBatchHooksTests {
    @Test func validateOnlyCallsPreHooksWithDryRunAndNoPostHooks() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let yaml = HooksHarness.yaml(port: port, hooks: [
            .init(event: "pre_create", path: "/pre"), .init(event: "post_create", path: "/post"),
        ])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let dry = try await MixedBatchFixtures.batch(api, token: token, """
                [{"op":"create","collection":"products","data":{"name":"Dry run","price":1}}]
                """, options: #"{"validate_only":true}"#)
            #expect(dry.statuses == [201], "\(dry.text)")
            let pre = try await receiver.waitForCalls(to: "/pre", count: 1)
            #expect(pre[0].json["dry_run"] == .bool(true))
            #expect(pre[0].json.document("document")?.string("name") == "Dry run")
            #expect(try await api.get("/products", token: token).json.int("count") == 0)

            // A real batch: pre-hook without dry_run, and the post-hook once it committed.
            let real = try await MixedBatchFixtures.batch(api, token: token, """
                [{"op":"create","collection":"products","data":{"name":"For real","price":1}}]
                """)
            #expect(real.statuses == [201], "\(real.text)")
            let post = try await receiver.waitForCalls(to: "/post", count: 1)
            #expect(post[0].json.document("document")?.string("name") == "For real")
            #expect(receiver.calls(to: "/pre").count == 2)
            #expect(receiver.calls(to: "/pre")[1].json["dry_run"] == nil)
            #expect(receiver.calls(to: "/post").count == 1)
        }
    }

    @Test func aRejectingPreHookRollsBackTheAtomicBatch() async throws {
        let receiver = HooksReceiver()
        let port = try await receiver.start()
        defer { Task { await receiver.stop() } }
        receiver.answer(403, forName: "Refused")
        let yaml = HooksHarness.yaml(port: port, hooks: [
            .init(event: "pre_create", path: "/pre"), .init(event: "post_create", path: "/post"),
        ])
        try await HooksHarness.with(yaml: yaml, database: TestBackend.uniqueDatabaseName()) { api in
            let token = try await api.token()
            let reply = try await MixedBatchFixtures.batch(api, token: token, """
                [{"op":"create","collection":"products","data":{"name":"Accepted","price":1}},
                 {"op":"create","collection":"products","data":{"name":"Refused","price":1}}]
                """)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.statuses == [424, 422])
            #expect(reply.errorCodes == ["rolled_back", "hook_rejected"])
            #expect(try await api.get("/products", token: token).json.int("count") == 0)
            try await Task.sleep(for: .milliseconds(500))
            #expect(receiver.calls(to: "/post").isEmpty)
        }
    }
}
