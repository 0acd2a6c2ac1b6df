import HTTPTypes
import PMBSON
import Testing

@Suite("deny_read: mixed batches")
struct DenyReadBatchTests {
    private func batch(
        _ api: GatewayClient, token: String, _ operations: String, options: String = #"{"return_records":true}"#
    ) async throws -> GatewayClient.Reply {
        try await api.post("/batch", token: token, #"{"operations":\#(operations),"options":\#(options)}"#)
    }

    @Test func returnedRecordsGetAndListHideFields() async throws {
        try await DenyReadFixtures.with { api in
            let editor = try await api.token("e", roles: ["editor"])
            let admin = try await api.token("a", roles: ["admin"])
            let existing = try await api.create("staff", token: admin, [DenyReadFixtures.fullDocument])
            let reply = try await batch(api, token: editor, """
                [{"op":"create","collection":"staff","data":\(DenyReadFixtures.fullDocument)},
                 {"op":"update","collection":"staff","id":{"$ref":0},"data":{"team":"blue"}},
                 {"op":"upsert","collection":"staff","match":{"name":"Bo"},"data":{"salary":7}},
                 {"op":"upsert","collection":"staff","match":{"name":"Bo"},"data":{"salary":8}},
                 {"op":"get","collection":"staff","id":"\(existing[0])"},
                 {"op":"list","collection":"staff","filter":{"team":"red"}}]
                """)
            #expect(reply.status == .ok, "\(reply.text)")
            let results = reply.json.documents("results")
            #expect(results.map { $0.int("status") } == [201, 200, 201, 200, 200, 200])
            #expect(results[0].document("data")?.string("name") == "Ann")
            #expect(results[0].document("data")?["salary"] == nil)
            #expect(results[1].document("data")?.string("team") == "blue")
            #expect(results[1].document("data")?["salary"] == nil)
            #expect(results[2].document("data")?.string("name") == "Bo")
            #expect(results[2].document("data")?["salary"] == nil)
            #expect(results[3].document("data")?["salary"] == nil)
            #expect(results[4].document("data")?.string("name") == "Ann")
            #expect(results[4].document("data")?["salary"] == nil)
            let listed = results[5].documents("data")
            #expect(listed.count == 1)
            #expect(listed.allSatisfy { $0["salary"] == nil && $0.string("name") == "Ann" })
            // Stored in full.
            let all = try await api.list("staff", [("filter", #"{"salary":{"$gt":0}}"#)], token: admin)
            #expect(all.json.int("count") == 3)
        }
    }

    @Test func aWriterWithoutReadGrantsGetsItsRecordsWithoutTheFieldsItsRolesHide() async throws {
        try await DenyReadFixtures.with { api in
            let writer = try await api.token("w", roles: ["writer"])
            let reply = try await batch(api, token: writer, """
                [{"op":"create","collection":"staff","data":\(DenyReadFixtures.fullDocument)},
                 {"op":"update","collection":"staff","id":{"$ref":0},"data":{"salary":9}}]
                """)
            #expect(reply.statuses == [201, 200], "\(reply.text)")
            #expect(reply.results.allSatisfy { $0.document("data")?["salary"] == nil && $0.document("data")?["name"] != nil })
        }
    }

    @Test func listFiltersSortsAndUpsertMatchesNamingAHiddenFieldAreForbidden() async throws {
        try await DenyReadFixtures.with { api in
            let editor = try await api.token("e", roles: ["editor"])
            _ = try await api.create("staff", token: editor, [DenyReadFixtures.fullDocument])
            let options = #"{"atomic":false,"continue_on_error":true}"#
            let reply = try await batch(api, token: editor, """
                [{"op":"list","collection":"staff","filter":{"$or":[{"team":"red"},{"salary":100}]}},
                 {"op":"list","collection":"staff","sort":"-salary"},
                 {"op":"upsert","collection":"staff","match":{"salary":100},"data":{"team":"x"}},
                 {"op":"list","collection":"staff","filter":{"team":"red"}}]
                """, options: options)
            #expect(reply.statuses == [403, 403, 403, 200], "\(reply.text)")
            #expect(reply.errorCodes.prefix(3).allSatisfy { $0 == "forbidden" })
            #expect(reply.results.prefix(3).allSatisfy {
                $0.document("error")?.string("message")?.contains("salary") == true
            })
        }
    }
}
