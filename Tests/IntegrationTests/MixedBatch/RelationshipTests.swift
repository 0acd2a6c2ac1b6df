import PMBSON
import PMTestSupport
import Testing

@Suite("Mixed batch: link / unlink and GET relationships")
struct RelationshipTests {
    @Test func linkInTheSameAtomicBatchAndListBothWays() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let token = try await api.token(roles: ["admin"])
            let reply = try await MixedBatchFixtures.batch(api, token: token, """
                [{"op":"create","collection":"orders","data":{"customer":"Acme"}},
                 {"op":"create","collection":"items","data":{"product":"Widget"}},
                 {"op":"link","rel_type":"contains","source":{"collection":"orders","id":{"$ref":0}},
                  "target":{"collection":"items","id":{"$ref":1}}},
                 {"op":"link","rel_type":"contains","source":{"collection":"orders","id":{"$ref":0}},
                  "target":{"collection":"items","id":{"$ref":1}}}]
                """)
            #expect(reply.statuses == [201, 201, 201, 200], "\(reply.text)")
            let order = try #require(reply.results[0].string("id"))
            let item = try #require(reply.results[1].string("id"))
            // Linking again is the same relationship, not a second one.
            #expect(reply.results[2].string("id") == reply.results[3].string("id"))

            let outgoing = try await api.get("/orders/\(order)/relationships?rel_type=contains", token: token)
            #expect(outgoing.status == .ok, "\(outgoing.text)")
            #expect(outgoing.json.int("count") == 1)
            let link = try #require(outgoing.json.documents("data").first)
            #expect(link.string("rel_type") == "contains")
            #expect(link.document("source")?.string("id") == order)
            #expect(link.document("target")?.string("collection") == "items")
            #expect(link.document("target")?.string("id") == item)
            #expect(link["tenant_id"] == nil)
            let incoming = try await api.get("/items/\(item)/relationships?direction=in", token: token)
            #expect(incoming.json.int("count") == 1)
            #expect(try await api.get("/items/\(item)/relationships?direction=out", token: token).json.int("count") == 0)
            #expect(try await api.get("/orders/\(order)/relationships?rel_type=other", token: token).json.int("count") == 0)

            let unlink = try await MixedBatchFixtures.batch(api, token: token, """
                [{"op":"unlink","rel_type":"contains","source":{"collection":"orders","id":"\(order)"},
                  "target":{"collection":"items","id":"\(item)"}},
                 {"op":"unlink","rel_type":"contains","source":{"collection":"orders","id":"\(order)"},
                  "target":{"collection":"items","id":"\(item)"}}]
                """, options: #"{"atomic":false,"continue_on_error":true}"#)
            #expect(unlink.statuses == [204, 404], "\(unlink.text)")
            #expect(try await api.get("/orders/\(order)/relationships", token: token).json.int("count") == 0)
        }
    }

    @Test func linkNeedsUpdateOnTheSourceAndReadOnTheTarget() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let admin = try await api.token("admin-1", roles: ["admin"])
            let clerk = try await api.token("clerk-1", roles: ["clerk"])
            let viewer = try await api.token("viewer-1", roles: ["viewer"])
            let adminOrder = try #require(try await api.post("/orders", token: admin, #"{"customer":"Admin's"}"#).json.string("id"))
            let clerkOrder = try #require(try await api.post("/orders", token: clerk, #"{"customer":"Clerk's"}"#).json.string("id"))
            let item = try #require(try await api.post("/items", token: admin, #"{"product":"Shared"}"#).json.string("id"))
            func link(_ source: String) -> String {
                #"{"op":"link","rel_type":"contains","source":{"collection":"orders","id":"\#(source)"},"target":{"collection":"items","id":"\#(item)"}}"#
            }
            let reply = try await MixedBatchFixtures.batch(
                api, token: clerk, "[\(link(clerkOrder)),\(link(adminOrder))]",
                options: #"{"atomic":false,"continue_on_error":true}"#)
            // The clerk may update only its own orders (`when`): the admin's order is not found for it.
            #expect(reply.statuses == [201, 404], "\(reply.text)")
            // A viewer has no update on orders at all.
            let denied = try await MixedBatchFixtures.batch(api, token: viewer, "[\(link(adminOrder))]")
            #expect(denied.statuses == [403], "\(denied.text)")
            #expect(denied.errorCodes == ["forbidden"])
            // Items linked from a source the caller can read are listed; unlink needs update too.
            let unlink = #"[{"op":"unlink","rel_type":"contains","source":{"collection":"orders","id":"\#(clerkOrder)"},"target":{"collection":"items","id":"\#(item)"}}]"#
            #expect(try await MixedBatchFixtures.batch(api, token: viewer, unlink).statuses == [403])
            #expect(try await api.get("/orders/\(clerkOrder)/relationships", token: viewer).json.int("count") == 1)
        }
    }

    @Test func linksWhoseOtherEndIsNotReadableAreNotListed() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let admin = try await api.token("admin-1", roles: ["admin"])
            let reply = try await MixedBatchFixtures.batch(api, token: admin, """
                [{"op":"create","collection":"orders","data":{"customer":"Acme"}},
                 {"op":"create","collection":"items","data":{"product":"Kept"}},
                 {"op":"create","collection":"items","data":{"product":"Removed"}},
                 {"op":"link","rel_type":"contains","source":{"collection":"orders","id":{"$ref":0}},
                  "target":{"collection":"items","id":{"$ref":1}}},
                 {"op":"link","rel_type":"contains","source":{"collection":"orders","id":{"$ref":0}},
                  "target":{"collection":"items","id":{"$ref":2}}}]
                """)
            #expect(reply.statuses == [201, 201, 201, 201, 201], "\(reply.text)")
            let order = try #require(reply.results[0].string("id"))
            let kept = try #require(reply.results[1].string("id"))
            let removed = try #require(reply.results[2].string("id"))
            #expect(try await api.get("/orders/\(order)/relationships", token: admin).json.int("count") == 2)
            #expect(try await api.send(.delete, "/items/\(removed)", token: admin).status == .noContent)
            let listed = try await api.get("/orders/\(order)/relationships", token: admin)
            #expect(listed.json.int("count") == 1)
            #expect(listed.json.documents("data").first?.document("target")?.string("id") == kept)
        }
    }

    @Test func anotherTenantsDocumentsCanNeitherBeLinkedNorSeen() async throws {
        try await GatewayHarness.with(yaml: MixedBatchFixtures.yaml) { api in
            let acme = try await api.token("a", tenant: "acme", roles: ["admin"])
            let globex = try await api.token("g", tenant: "globex", roles: ["admin"])
            let acmeOrder = try #require(try await api.post("/orders", token: acme, #"{"customer":"Acme"}"#).json.string("id"))
            let acmeItem = try #require(try await api.post("/items", token: acme, #"{"product":"Acme item"}"#).json.string("id"))
            let globexOrder = try #require(try await api.post("/orders", token: globex, #"{"customer":"Globex"}"#).json.string("id"))
            func link(_ source: String, _ target: String) -> String {
                #"{"op":"link","rel_type":"contains","source":{"collection":"orders","id":"\#(source)"},"target":{"collection":"items","id":"\#(target)"}}"#
            }
            // Globex cannot link its order to Acme's item, nor Acme's order to anything.
            let reply = try await MixedBatchFixtures.batch(
                api, token: globex, "[\(link(globexOrder, acmeItem)),\(link(acmeOrder, acmeItem))]",
                options: #"{"atomic":false,"continue_on_error":true}"#)
            #expect(reply.statuses == [404, 404], "\(reply.text)")
            #expect(reply.results[0].document("error")?.string("message") == "target document not found")
            #expect(reply.results[1].document("error")?.string("message") == "source document not found")
            // Acme links its own; Globex cannot list the relationships of Acme's order.
            #expect(try await MixedBatchFixtures.batch(api, token: acme, "[\(link(acmeOrder, acmeItem))]").statuses == [201])
            #expect(try await api.get("/orders/\(acmeOrder)/relationships", token: globex).status == .notFound)
            #expect(try await api.get("/orders/\(acmeOrder)/relationships", token: acme).json.int("count") == 1)
        }
    }
}
