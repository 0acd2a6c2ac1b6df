import PMBSON
import PMTestSupport
import Testing

@Suite("Mixed batch: POST /batch")
struct MixedBatchTests {
    @Test func atomicBatchAcrossTwoCollectionsWithReferences() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let seed = try await api.post("/items", token: token, #"{"product":"Old","qty":1}"#)
            let oldItem = try #require(seed.json.string("id"))
            let reply = try await MixedBatchFixtures.batch(api, token: token, """
                [{"op":"create","collection":"orders","data":{"customer":"Acme","total":50}},
                 {"op":"create","collection":"items","data":{"order_id":{"$ref":0},"product":"Widget","qty":2}},
                 {"op":"update","collection":"orders","id":{"$ref":0},"data":{"status":"open","total":55}},
                 {"op":"get","collection":"orders","id":{"$ref":0}},
                 {"op":"list","collection":"items","filter":{"order_id":{"$ref":0}},"limit":5},
                 {"op":"delete","collection":"items","id":"\(oldItem)"}]
                """)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["success"] == .bool(true))
            #expect(reply.json.int("total") == 6)
            #expect(reply.json.int("succeeded") == 6)
            #expect(reply.json.int("failed") == 0)
            #expect(reply.statuses == [201, 201, 200, 200, 200, 204])
            #expect(reply.results.map { $0.int("index") } == [0, 1, 2, 3, 4, 5])
            let orderId = try #require(reply.results[0].string("id"))
            let itemId = try #require(reply.results[1].string("id"))
            #expect(reply.results[2].string("id") == orderId)
            // The get inside the batch sees the update made before it in the same transaction.
            let got = try #require(reply.results[3].document("data"))
            #expect(got.string("_id") == orderId)
            #expect(got.string("status") == "open")
            #expect(got.int("total") == 55)
            // `$ref` inside data became the order's id, stored as an ObjectId (the list found it by it).
            #expect(reply.results[4].int("count") == 1)
            #expect(reply.results[4].documents("data").first?.string("_id") == itemId)
            #expect(reply.results[4].documents("data").first?.string("order_id") == orderId)

            // Committed: everything is there afterwards, the deleted item is gone, the update was versioned.
            #expect(try await api.get("/orders/\(orderId)", token: token).json.string("status") == "open")
            #expect(try await api.get("/items/\(itemId)", token: token).status == .ok)
            #expect(try await api.get("/items/\(oldItem)", token: token).status == .notFound)
            let versions = try await api.get("/orders/\(orderId)/versions", token: token)
            #expect(versions.json.int("count") == 1)
            #expect(versions.json.documents("data").first?.document("data")?.int("total") == 50)
        }
    }

    @Test func oneInvalidOperationRollsBackTheAtomicBatch() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let seed = try await api.post("/orders", token: token, #"{"customer":"Seed","total":1}"#)
            let seeded = try #require(seed.json.string("id"))
            let reply = try await MixedBatchFixtures.batch(api, token: token, """
                [{"op":"create","collection":"orders","data":{"customer":"Fine","total":10}},
                 {"op":"update","collection":"orders","id":"\(seeded)","data":{"total":2}},
                 {"op":"create","collection":"items","data":{"product":"Bad","qty":0}},
                 {"op":"delete","collection":"orders","id":"\(seeded)"}]
                """)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.json["success"] == .bool(false))
            #expect(reply.json.int("succeeded") == 0)
            #expect(reply.json.int("failed") == 4)
            #expect(reply.statuses == [424, 424, 422, 424])
            #expect(reply.errorCodes == ["rolled_back", "rolled_back", "schema_validation", "not_attempted"])
            #expect(reply.results[2].document("error")?.string("message") == "qty must be at least 1")
            // Nothing was written: no new order, the seeded one unchanged, no version saved.
            let orders = try await api.get("/orders", token: token)
            #expect(orders.json.int("count") == 1)
            #expect(orders.json.documents("data").first?.int("total") == 1)
            #expect(try await api.get("/items", token: token).json.int("count") == 0)
            #expect(try await api.get("/orders/\(seeded)/versions", token: token).json.int("count") == 0)
        }
    }

    @Test func validateOnlyChecksEverythingAndWritesNothing() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let good = try await MixedBatchFixtures.batch(api, token: token, """
                [{"op":"create","collection":"orders","data":{"customer":"Dry","total":5}},
                 {"op":"create","collection":"items","data":{"order_id":{"$ref":0},"product":"Dry item","qty":1}},
                 {"op":"get","collection":"orders","id":{"$ref":0}}]
                """, options: #"{"validate_only":true}"#)
            #expect(good.status == .ok, "\(good.text)")
            #expect(good.json["success"] == .bool(true))
            #expect(good.statuses == [201, 201, 200])
            let bad = try await MixedBatchFixtures.batch(api, token: token, """
                [{"op":"create","collection":"orders","data":{"customer":"X"}},
                 {"op":"create","collection":"orders","data":{"customer":"Fine"}}]
                """, options: #"{"validate_only":true}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.statuses == [422, 424])
            #expect(bad.errorCodes == ["schema_validation", "not_attempted"])
            #expect(try await api.get("/orders", token: token).json.int("count") == 0)
            #expect(try await api.get("/items", token: token).json.int("count") == 0)
        }
    }

    @Test func notAtomicStopsAtTheFirstFailureOrContinuesWhenAsked() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let operations = """
                [{"op":"create","collection":"orders","data":{"customer":"First"}},
                 {"op":"create","collection":"orders","data":{"customer":"F"}},
                 {"op":"create","collection":"orders","data":{"customer":"Third"}},
                 {"op":"get","collection":"orders","id":{"$ref":1}}]
                """
            let stopped = try await MixedBatchFixtures.batch(api, token: token, operations, options: #"{"atomic":false}"#)
            #expect(stopped.status == .ok, "\(stopped.text)")
            #expect(stopped.json["success"] == .bool(false))
            #expect(stopped.statuses == [201, 422, 424, 424])
            #expect(stopped.errorCodes == [nil, "schema_validation", "not_attempted", "not_attempted"])
            #expect(stopped.json.int("succeeded") == 1)
            #expect(stopped.json.int("failed") == 3)
            #expect(try await api.get("/orders", token: token).json.int("count") == 1)

            let continued = try await MixedBatchFixtures.batch(
                api, token: token, operations, options: #"{"atomic":false,"continue_on_error":true}"#)
            #expect(continued.statuses == [201, 422, 201, 424], "\(continued.text)")
            #expect(continued.errorCodes == [nil, "schema_validation", nil, "failed_dependency"])
            #expect(continued.json.int("succeeded") == 2)
            #expect(try await api.get("/orders", token: token).json.int("count") == 3)
        }
    }

    @Test func upsertInsertsThenUpdatesByTheSameMatch() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let upsert = #"[{"op":"upsert","collection":"orders","match":{"external_id":"A-1"},"data":{"customer":"Acme","total":TOTAL}}]"#
            let first = try await MixedBatchFixtures.batch(
                api, token: token, upsert.replacingOccurrences(of: "TOTAL", with: "10"), options: #"{"return_records":true}"#)
            #expect(first.statuses == [201], "\(first.text)")
            let id = try #require(first.results[0].string("id"))
            #expect(first.results[0].document("data")?.string("external_id") == "A-1")
            let second = try await MixedBatchFixtures.batch(
                api, token: token, upsert.replacingOccurrences(of: "TOTAL", with: "20"), options: #"{"return_records":true}"#)
            #expect(second.statuses == [200], "\(second.text)")
            #expect(second.results[0].string("id") == id)
            #expect(second.results[0].document("data")?.int("total") == 20)
            let all = try await api.get("/orders", token: token)
            #expect(all.json.int("count") == 1)
            #expect(all.json.documents("data").first?.int("total") == 20)
            #expect(all.json.documents("data").first?.string("external_id") == "A-1")

            // A match selecting two documents is a conflict.
            _ = try await api.post("/orders", token: token, #"{"customer":"Twin","total":1}"#)
            _ = try await api.post("/orders", token: token, #"{"customer":"Twin","total":2}"#)
            let twins = try await MixedBatchFixtures.batch(api, token: token, """
                [{"op":"upsert","collection":"orders","match":{"customer":"Twin"},"data":{"total":3}}]
                """)
            #expect(twins.statuses == [409], "\(twins.text)")
            #expect(twins.errorCodes == ["conflict"])
        }
    }

    @Test func policyDenialFailsOnlyThatOperation() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let admin = try await api.token("admin-1", roles: ["admin"])
            let others = try await api.post("/orders", token: admin, #"{"customer":"Not yours","total":1}"#)
            let othersId = try #require(others.json.string("id"))
            let clerk = try await api.token("clerk-1", roles: ["clerk"])
            let operations = """
                [{"op":"create","collection":"orders","data":{"customer":"Mine","total":1}},
                 {"op":"update","collection":"orders","id":"\(othersId)","data":{"total":99}},
                 {"op":"delete","collection":"items","id":"\(othersId)"},
                 {"op":"create","collection":"items","data":{"product":"Still fine","qty":1}}]
                """
            let reply = try await MixedBatchFixtures.batch(
                api, token: clerk, operations, options: #"{"atomic":false,"continue_on_error":true}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            // Update of another user's order: not visible under the clerk's `when` (404, as
            // PUT /orders/{id} answers); delete on items: no clerk role may delete (403).
            #expect(reply.statuses == [201, 404, 403, 201])
            #expect(reply.errorCodes == [nil, "not_found", "forbidden", nil])
            #expect(try await api.get("/orders/\(othersId)", token: admin).json.int("total") == 1)
            // Atomic, the same denial rolls everything back.
            let atomic = try await MixedBatchFixtures.batch(api, token: clerk, operations)
            #expect(atomic.status == .unprocessableContent)
            #expect(atomic.statuses == [424, 404, 424, 424])
        }
    }
}
