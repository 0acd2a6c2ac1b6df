import PMBSON
import PMMongo
import PMTestSupport
import Testing

@Suite("Mixed batch: request checks and retries")
struct MixedBatchRequestTests {
    @Test func tooManyOperationsIsTheContractsExactError() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let operations = "[" + Array(repeating: #"{"op":"list","collection":"orders"}"#, count: 11).joined(separator: ",") + "]"
            let reply = try await MixedBatchFixtures.batch(api, token: token, operations)
            #expect(reply.status == .badRequest)
            let error = try #require(reply.json.document("error"))
            #expect(error.string("code") == "bad_request")
            #expect(error.string("message") == "Batch size exceeds maximum limit of 10")
            #expect(error.document("details")?.int("max_batch_size") == 10)
            #expect(error.document("details")?.int("requested") == 11)
        }
    }

    @Test func bodyLimitTokenAndContentTypeComeFirst() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let big = String(repeating: "x", count: 9000)
            let tooLarge = try await MixedBatchFixtures.batch(
                api, token: token, #"[{"op":"create","collection":"orders","data":{"customer":"\#(big)"}}]"#)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.json.document("error")?.string("code") == "payload_too_large")
            let anonymous = try await api.post("/batch", token: nil, #"{"operations":[]}"#)
            #expect(anonymous.status == .unauthorized)
            let text = try await api.send(
                .post, "/batch", token: token, body: "{}", headers: [.contentType: "text/plain"])
            #expect(text.status == .unsupportedMediaType)
            #expect(try await api.get("/orders", token: token).json.int("count") == 0)
        }
    }

    @Test(arguments: [
        (#"{"operations":[]}"#, "\"operations\" must not be empty"),
        (#"{"operations":[{"op":"drop","collection":"orders"}]}"#, "operations[0] has unknown op \"drop\""),
        (#"{"operations":[{"op":"list","collection":"orders"},{"op":"create","collection":"orders"}]}"#,
         "operations[1] needs \"data\", a JSON object"),
        (#"{"operations":[{"op":"get","collection":"orders","id":{"$ref":0}}]}"#, "operations[0] refers to operation 0"),
        (#"{"operations":[{"op":"create","collection":"orders","data":{"customer":"Ab"}}],"options":{"continue_on_error":true}}"#,
         "options.continue_on_error needs \"atomic\": false"),
        (#"{"operations":[{"op":"create","collection":"orders","data":{"customer":"Ab"}}],"options":{"atomic":"yes"}}"#,
         "options.atomic must be true or false"),
    ])
    func malformedBatchesAreRefusedBeforeAnyWork(body: String, message: String) async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let reply = try await api.post("/batch", token: token, body)
            #expect(reply.status == .badRequest, "\(reply.text)")
            let text = reply.json.document("error")?.string("message") ?? ""
            #expect(text.hasPrefix(message), "\(text)")
            #expect(try await api.get("/orders", token: token).json.int("count") == 0)
        }
    }

    @Test func unknownCollectionAndMissingDocumentAreThatOperationsStatus() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let reply = try await MixedBatchFixtures.batch(api, token: token, """
                [{"op":"get","collection":"nope","id":"0123456789abcdef01234567"},
                 {"op":"get","collection":"orders","id":"0123456789abcdef01234567"},
                 {"op":"delete","collection":"orders","id":"not-an-id"}]
                """, options: #"{"atomic":false,"continue_on_error":true}"#)
            #expect(reply.statuses == [404, 404, 404], "\(reply.text)")
            #expect(reply.results[0].document("error")?.string("message") == #"collection "nope" does not exist"#)
        }
    }

    /// A write conflict inside the batch's transaction (WriteConflict 112 with the
    /// TransientTransactionError label, injected once) runs the whole batch again: one
    /// copy of each document, not two.
    @Test func transientTransactionErrorRunsTheBatchAgain() async throws {
        try await TestBackend.withFailPoint {
            let appName = "pm-mixed-retry-\(UInt32.random(in: 0 ... .max))"
            try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml, appName: appName) { api in
                let admin = try await TestBackend.makePool(appName: "pm-test-admin")
                defer { admin.close() }
                let token = try await api.token(roles: ["admin"])
                try await TestBackend.failCommand(
                    ["insert"], errorCode: 112, errorLabels: ["TransientTransactionError"], times: 1,
                    appName: appName, pool: admin)
                let reply = try await MixedBatchFixtures.batch(api, token: token, """
                    [{"op":"create","collection":"orders","data":{"customer":"Retried"}},
                     {"op":"create","collection":"items","data":{"order_id":{"$ref":0},"product":"Retried item"}}]
                    """)
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(reply.statuses == [201, 201])
                #expect(try await api.get("/orders", token: token).json.int("count") == 1)
                let items = try await api.get("/items", token: token)
                #expect(items.json.int("count") == 1)
                #expect(items.json.documents("data").first?.string("order_id") == reply.results[0].string("id"))
            }
        }
    }

    @Test func collectionsDescribeWhatTheCallerMayDo() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let viewer = try await api.token(roles: ["viewer"])
            let reply = try await api.get("/_collections", token: viewer)
            #expect(reply.status == .ok, "\(reply.text)")
            let collections = reply.json.documents("data")
            #expect(collections.compactMap { $0.string("name") } == ["items", "orders"])
            #expect(collections[1].strings("actions") == ["read"])
            let fields = try #require(collections[1].document("schema")?.document("fields"))
            #expect(fields.document("customer")?.string("type") == "string")
            #expect(fields.document("customer")?["required"] == .bool(true))
            #expect(fields.document("customer")?.int("min_length") == 2)
            #expect(fields.document("total")?["min"] == .int32(0))
            #expect(fields.document("status")?["enum"] == .array(["open", "paid"]))
            #expect(collections[1].document("versioning")?["enabled"] == .bool(true))
            let clerk = try await api.token(roles: ["clerk"])
            let clerkView = try await api.get("/_collections", token: clerk)
            #expect(clerkView.json.documents("data")[1].strings("actions") == ["create", "read", "update"])
            #expect(try await api.get("/_collections", token: nil).status == .unauthorized)
        }
    }
}
