import HTTPTypes
import PMBSON
import PMTestKit
import Testing

/// `GET /metrics` after requests through the real stack: requests by route template,
/// documents by outcome, batch sizes, and `server.metrics_token`.
@Suite("metrics: requests, documents and the metrics token")
struct MetricsTests {
    static func samples(_ api: GatewayClient, token: String? = nil) async throws -> MetricSamples {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let reply = try await api.send(.get, "/metrics", token: nil, headers: headers)
        #expect(reply.status == .ok, "\(reply.text)")
        return MetricSamples(reply.text)
    }

    static func documents(_ operation: String, _ outcome: String, _ collection: String = "products") -> String {
        #"pm_documents_total{collection="\#(collection)",operation="\#(operation)",outcome="\#(outcome)"}"#
    }

    static func requests(_ route: String, _ method: String, _ status: Int) -> String {
        #"pm_http_requests_total{route="\#(route)",method="\#(method)",status="\#(status)"}"#
    }

    @Test func documentsAndRequestsAreCountedByOutcomeAndRouteTemplate() async throws {
        try await GatewayHarness.with { api in
            let maker = try await api.token(roles: ["widget_maker"])
            let admin = try await api.token("admin-1", roles: ["admin"])
            let batch = try await api.post("/products/batch", token: maker, """
                {"documents":[{"name":"Widget A","price":1,"category":"widgets","sku":"WID-1"},
                              {"name":"Widget B","price":-1,"category":"widgets"},
                              {"name":"Gadget C","price":2,"category":"gadgets"}]}
                """)
            #expect(batch.status == .created, "\(batch.text)")
            let id = try #require(batch.json.strings("created").first)
            let duplicate = try await api.post("/products", token: admin, #"{"name":"Copy","price":3,"sku":"WID-1"}"#)
            #expect(duplicate.status == .conflict, "\(duplicate.text)")
            let updated = try await api.put("/products/\(id)", token: admin, #"{"price":5}"#)
            #expect(updated.status == .ok, "\(updated.text)")
            let deleted = try await api.delete("/products/\(id)", token: admin)
            #expect(deleted.status == .noContent, "\(deleted.text)")
            let gone = try await api.get("/products/\(id)", token: admin)
            #expect(gone.status == .notFound, "\(gone.text)")
            let nowhere = try await api.get("/products/\(id)/nowhere/at-all", token: admin)
            #expect(nowhere.status == .notFound, "\(nowhere.text)")

            let metrics = try await Self.samples(api)
            #expect(metrics[Self.documents("create", "created")] == 1)
            #expect(metrics[Self.documents("create", "failed_schema")] == 1)
            #expect(metrics[Self.documents("create", "failed_policy")] == 1)
            #expect(metrics[Self.documents("create", "duplicate")] == 1)
            #expect(metrics[Self.documents("update", "updated")] == 1)
            #expect(metrics[Self.documents("delete", "deleted")] == 1)
            #expect(metrics.text.components(separatedBy: "pm_documents_total{").count - 1 == 6, "\(metrics.text)")
            #expect(metrics[#"pm_batch_size_count{collection="products",operation="create"}"#] == 1)
            #expect(metrics[#"pm_batch_size_sum{collection="products",operation="create"}"#] == 3)

            #expect(metrics[Self.requests("/{collection}/batch", "POST", 201)] == 1)
            #expect(metrics[Self.requests("/{collection}", "POST", 409)] == 1)
            #expect(metrics[Self.requests("/{collection}/{id}", "PUT", 200)] == 1)
            #expect(metrics[Self.requests("/{collection}/{id}", "DELETE", 204)] == 1)
            #expect(metrics[Self.requests("/{collection}/{id}", "GET", 404)] == 1)
            #expect(metrics[Self.requests("unmatched", "GET", 404)] == 1, "\(metrics.text)")
            #expect(metrics[#"pm_http_request_duration_seconds_count{route="/{collection}/batch",method="POST"}"#] == 1)
            // The scrape itself is the one request in flight.
            #expect(metrics["pm_http_requests_in_flight"] == 1)
            #expect((metrics["pm_mongo_pool_wait_seconds_count"] ?? 0) >= 4)
            #expect(!metrics.text.contains(id), "a document id in the metrics")
            #expect(!metrics.text.contains("/products"), "a path in the metrics")
        }
    }

    @Test func mixedBatchesCountTheirWritesAndNothingRolledBack() async throws {
        try await GatewayHarness.with { api in
            let admin = try await api.token("admin-1", roles: ["admin"])
            let kept = try await api.post("/batch", token: admin, """
                {"operations":[{"op":"create","collection":"products","data":{"name":"Kept","price":1}},
                               {"op":"create","collection":"products","data":{"name":"No price"}},
                               {"op":"create","collection":"notes","data":{"text":"kept"}}],
                 "options":{"atomic":false,"continue_on_error":true}}
                """)
            #expect(kept.status == .ok, "\(kept.text)")
            let rolledBack = try await api.post("/batch", token: admin, """
                {"operations":[{"op":"create","collection":"products","data":{"name":"Undone","price":1}},
                               {"op":"create","collection":"notes","data":{"text":"undone","extra":1}}]}
                """)
            #expect(rolledBack.status == .unprocessableContent, "\(rolledBack.text)")

            let metrics = try await Self.samples(api)
            #expect(metrics[Self.documents("create", "created")] == 1)
            #expect(metrics[Self.documents("create", "failed_schema")] == 1)
            #expect(metrics[Self.documents("create", "created", "notes")] == 1)
            #expect(metrics[Self.documents("create", "failed_schema", "notes")] == 1)
            #expect(metrics.text.components(separatedBy: "pm_documents_total{").count - 1 == 4, "\(metrics.text)")
            #expect(metrics[#"pm_batch_size_count{collection="products",operation="create"}"#] == 2)
            #expect(metrics[#"pm_batch_size_sum{collection="products",operation="create"}"#] == 3)
            #expect(metrics[#"pm_batch_size_sum{collection="notes",operation="create"}"#] == 2)
            #expect(metrics[Self.requests("/batch", "POST", 200)] == 1)
            #expect(metrics[Self.requests("/batch", "POST", 422)] == 1)
        }
    }

    @Test func theMetricsTokenIsRequiredWhenSet() async throws {
        let token = "scrape-0123456789abcdef"
        let yaml = GatewayHarness.productsYAML.replacingOccurrences(
            of: "server:\n", with: "server:\n  metrics_token: \(token)\n")
        try await GatewayHarness.with(yaml: yaml) { api in
            let without = try await api.get("/metrics", token: nil)
            #expect(without.status == .unauthorized)
            #expect(without.json.document("error")?.string("code") == "unauthorized", "\(without.text)")
            #expect(!without.text.contains("pm_"))
            let wrong = try await api.send(.get, "/metrics", token: nil, headers: [.authorization: "Bearer \(token)x"])
            #expect(wrong.status == .unauthorized)
            let metrics = try await Self.samples(api, token: token)
            #expect(metrics[Self.requests("/metrics", "GET", 401)] == 2)
        }
    }
}
