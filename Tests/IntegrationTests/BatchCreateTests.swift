import HTTPTypes
import PMBSON
import PermissionMongo
import Testing

@Suite("POST /{collection}/batch")
struct BatchCreateTests {
    /// The seed's TestBatchCreate.
    @Test func createsThreeProductsReadableByGet() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token("user-123", tenant: "acme-corp", roles: ["editor"])
            let reply = try await api.post("/products/batch", token: token, """
                {"documents":[{"name":"Product 1","price":10.00},{"name":"Product 2","price":20.00},
                              {"name":"Product 3","price":30.00}]}
                """)
            #expect(reply.status == .created)
            let created = reply.json.strings("created")
            #expect(created.count == 3)
            #expect(reply.json.documents("failed").isEmpty)
            for (n, id) in created.enumerated() {
                let doc = try await api.get("/products/\(id)", token: token)
                #expect(doc.status == .ok)
                #expect(doc.json.string("_id") == id)
                #expect(doc.json.string("name") == "Product \(n + 1)")
                #expect(doc.json.string("tenant_id") == "acme-corp")
                #expect(doc.json.string("created_by") == "user-123")
                #expect(doc.json.string("created_at")?.hasSuffix("Z") == true)
                #expect(doc.json["active"] == .bool(true))  // schema default
            }
        }
    }

    /// The seed's partial-failure example.
    @Test func partialFailureReportsEachDocument() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let reply = try await api.post("/products/batch", token: token, """
                {"documents":[{"name":"Valid Product","price":10.00},
                              {"name":"Invalid Product","price":-5.00},
                              {"price":20.00}]}
                """)
            #expect(reply.status == .created)
            #expect(reply.json.strings("created").count == 1)
            let failed = reply.json.documents("failed")
            #expect(failed.count == 2)
            #expect(failed.first?.int("index") == 1)
            #expect(failed.first?.document("error")?.string("code") == "schema_validation")
            #expect(failed.first?.document("error")?.string("message") == "price must be at least 0")
            #expect(failed.last?.int("index") == 2)
            #expect(failed.last?.document("error")?.string("message") == "name is required")
            let list = try await api.get("/products", token: token)
            #expect(list.json.int("count") == 1)
        }
    }

    /// The seed's all-or-nothing example.
    @Test func atomicBatchWithAnInvalidDocumentWritesNothing() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let reply = try await api.post("/products/batch?atomic=true", token: token, """
                {"documents":[{"name":"Product 1","price":10},{"name":"Product 2","price":-5}]}
                """)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.json.strings("created").isEmpty)
            #expect(reply.json["created"] == .array([]))
            let failed = reply.json.documents("failed")
            #expect(failed.count == 1)
            #expect(failed.first?.int("index") == 1)
            #expect(failed.first?.document("error")?.string("message") == "price must be at least 0")
            let list = try await api.get("/products", token: token)
            #expect(list.json.int("count") == 0)
        }
    }

    @Test func atomicBatchThatSucceedsWritesEverything() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let reply = try await api.post("/products/batch?atomic=true", token: token, """
                {"documents":[{"name":"Product 1","price":10},{"name":"Product 2","price":5,"sku":"ABC-1"}]}
                """)
            #expect(reply.status == .created)
            #expect(reply.json.strings("created").count == 2)
            #expect(try await api.get("/products", token: token).json.int("count") == 2)
        }
    }

    @Test func policyWhenFailureIsForbiddenPerDocument() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token("maker", roles: ["widget_maker"])
            let reply = try await api.post("/products/batch", token: token, """
                {"documents":[{"name":"Widget","price":1,"category":"widgets"},
                              {"name":"Gadget","price":1,"category":"gadgets"}]}
                """)
            #expect(reply.status == .created)
            #expect(reply.json.strings("created").count == 1)
            let failed = reply.json.documents("failed")
            #expect(failed.map { $0.int("index") } == [1])
            #expect(failed.first?.document("error")?.string("code") == "forbidden")
        }
    }

    @Test func callerWithoutCreateRoleIsForbiddenBeforeAnyWork() async throws {
        try await GatewayHarness.with { api in
            let viewer = try await api.token("v", roles: ["viewer"])
            let reply = try await api.post("/products/batch", token: viewer, #"{"documents":[{"name":"Nope","price":1}]}"#)
            #expect(reply.status == .forbidden)
            #expect(reply.json.document("error")?.string("code") == "forbidden")
            let admin = try await api.token("a", roles: ["admin"])
            #expect(try await api.get("/products", token: admin).json.int("count") == 0)
        }
    }

    @Test func batchSizeLimitIsExact() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let ten = (0..<10).map { #"{"name":"Item \#($0)","price":1}"# }.joined(separator: ",")
            let ok = try await api.post("/products/batch", token: token, #"{"documents":[\#(ten)]}"#)
            #expect(ok.status == .created)
            #expect(ok.json.strings("created").count == 10)

            let eleven = ten + #",{"name":"Item 10","price":1}"#
            let over = try await api.post("/products/batch", token: token, #"{"documents":[\#(eleven)]}"#)
            #expect(over.status == .badRequest)
            let error = over.json.document("error")
            #expect(error?.string("code") == "bad_request")
            #expect(error?.string("message") == "Batch size exceeds maximum limit of 10")
            #expect(error?.document("details") == BSONDocument(["max_batch_size": .int32(10), "requested": .int32(11)]))
            #expect(over.json.document("meta")?.string("request_id")?.isEmpty == false)
            #expect(try await api.get("/products", token: token).json.int("count") == 10)
        }
    }

    @Test func badRequestsGetTheEnvelope() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let deep: String = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
            let bodies: [String] = [
                "not json",
                #"{"documents":[]}"#,
                #"{"documents":{}}"#,
                #"{}"#,
                #"{"documents":[1]}"#,
                #"[{"name":"x"}]"#,
                #"{"documents":[{"name":"\ud800"}]}"#,
                #"{"documents":["# + deep + "]}",
                #"{"documents":[{"name":"abc","price":1}],"extra":true}"#,
            ]
            for body in bodies {
                let reply = try await api.post("/products/batch", token: token, body)
                #expect(reply.status == .badRequest, "\(body.prefix(40))")
                #expect(reply.json.document("error")?.string("code") == "bad_request")
            }
            let invalidUTF8 = try await api.send(
                .post, "/products/batch", token: token,
                bytes: Array(#"{"documents":[{"name":""#.utf8) + [0xFF] + Array(#"","price":1}]}"#.utf8))
            #expect(invalidUTF8.status == .badRequest)
        }
    }

    @Test func unknownCollectionMediaTypeAndBodySize() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let missing = try await api.post("/nope/batch", token: token, #"{"documents":[{"a":1}]}"#)
            #expect(missing.status == .notFound)
            #expect(missing.json.document("error")?.string("code") == "not_found")

            let text = try await api.send(.post, "/products/batch", token: token, body: #"{"documents":[{"name":"abc","price":1}]}"#,
                                          headers: [.contentType: "text/plain"])
            #expect(text.status == .unsupportedMediaType)
            #expect(text.json.document("error")?.string("code") == "unsupported_media_type")

            let big = String(repeating: "x", count: 70_000)
            let tooLarge = try await api.post("/products/batch", token: token, #"{"documents":[{"name":"\#(big)","price":1}]}"#)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.json.document("error")?.string("code") == "payload_too_large")
        }
    }

    @Test func requestIdIsEchoedOrCreated() async throws {
        try await GatewayHarness.with { api in
            let echoed = try await api.send(.get, "/healthz", token: nil, headers: [.init("X-Request-Id")!: "abc-123"])
            #expect(echoed.headers[.init("X-Request-Id")!] == "abc-123")
            let fresh = try await api.get("/products", token: nil)
            #expect(fresh.status == .unauthorized)
            let id = fresh.headers[.init("X-Request-Id")!]
            #expect(id?.isEmpty == false)
            #expect(fresh.json.document("meta")?.string("request_id") == id)
        }
    }

    @Test func healthAndReadiness() async throws {
        try await GatewayHarness.with { api in
            let health = try await api.get("/healthz", token: nil)
            let ready = try await api.get("/readyz", token: nil)
            #expect(health.status == .ok)
            #expect(ready.status == .ok)
        }
    }
}
