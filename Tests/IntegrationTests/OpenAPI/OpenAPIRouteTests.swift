import HTTPTypes
import PMBSON
import PMPolicy
import PMTestKit
import PMTestSupport
import Testing
@testable import PermissionMongo

/// `GET /openapi.json` through the real stack, in the three modes of `server.openapi`.
@Suite struct OpenAPIRouteTests {
    private func paths(_ reply: GatewayClient.Reply) -> [String] {
        reply.json.document("paths")?.keys ?? []
    }

    private func methods(_ reply: GatewayClient.Reply, _ path: String) -> [String] {
        reply.json.document("paths")?.document(path)?.keys ?? []
    }

    @Test func authenticatedDescribesWhatTheCallerMayUse() async throws {
        try await GatewayHarness.with { api in
            let anonymous = try await api.get("/openapi.json", token: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.json.document("error")?.string("code") == "unauthorized")

            let viewer = try await api.get("/openapi.json", token: try await api.token(roles: ["viewer"]))
            #expect(viewer.status == .ok)
            #expect(viewer.headers[.contentType] == "application/json; charset=utf-8")
            #expect(methods(viewer, "/products") == ["get"])
            #expect(methods(viewer, "/products/{id}") == ["get"])
            #expect(!paths(viewer).contains("/products/batch"))
            #expect(!paths(viewer).contains { $0.hasPrefix("/notes") || $0.hasPrefix("/_hooks") })
            let viewerSchemas = viewer.json.document("components")?.document("schemas")?.keys ?? []
            #expect(viewerSchemas.contains("products.Document") && !viewerSchemas.contains("notes.Document"))
            // The document of a pure function of the configuration and the caller's roles.
            let asViewer = PolicyUser(id: "user-123", tenantId: "acme-corp", roles: ["viewer"])
            #expect(viewer.text == OpenAPIDocument(config: api.config, audience: .caller(asViewer, api.config)).document.jsonString)

            let editor = try await api.get("/openapi.json", token: try await api.token(roles: ["editor"]))
            #expect(methods(editor, "/products/batch") == ["put", "post"])
            #expect(methods(editor, "/products/{id}") == ["get", "put"])

            let admin = try await api.get("/openapi.json", token: try await api.token(roles: ["admin"]))
            #expect(methods(admin, "/notes") == ["get", "post"])
            #expect(methods(admin, "/products/{id}") == ["get", "put", "delete"])
            #expect(paths(admin).contains("/_hooks/deliveries"))
        }
    }

    @Test func publicServesTheWholeDocumentWithoutAToken() async throws {
        let yaml = GatewayHarness.productsYAML.replacingOccurrences(of: "server:\n", with: "server:\n  openapi: public\n")
        try await GatewayHarness.with(yaml: yaml) { api in
            let anonymous = try await api.get("/openapi.json", token: nil)
            #expect(anonymous.status == .ok)
            #expect(anonymous.text == OpenAPIDocument.everything(api.config).jsonString)
            #expect(methods(anonymous, "/notes/batch") == ["put", "post", "delete"])
            #expect(anonymous.json.document("paths")?.document("/openapi.json")?.document("get")?["security"] == [])
            // A token changes nothing.
            let viewer = try await api.get("/openapi.json", token: try await api.token(roles: ["viewer"]))
            #expect(viewer.text == anonymous.text)
        }
    }

    @Test func offIsNotFound() async throws {
        let yaml = GatewayHarness.productsYAML.replacingOccurrences(of: "server:\n", with: "server:\n  openapi: off\n")
        try await GatewayHarness.with(yaml: yaml) { api in
            for token in [nil, try await api.token(roles: ["admin"])] {
                let reply = try await api.get("/openapi.json", token: token)
                #expect(reply.status == .notFound)
                #expect(reply.json.document("error")?.string("code") == "not_found")
                #expect(reply.json.document("error")?.string("message") == "no such route")
                #expect(reply.json.document("meta")?.string("request_id") == reply.headers[.init("X-Request-Id")!])
            }
            // The other routes are served as ever.
            #expect(try await api.get("/products", token: try await api.token(roles: ["viewer"])).status == .ok)
        }
    }

    /// A reload (SIGHUP) changes the document and the setting for the requests after it.
    @Test func aReloadChangesTheDocumentAndTheSetting() async throws {
        func yaml(openAPI: String, tasks: Bool) -> String {
            """
            server:
              openapi: \(openAPI)
            auth:
              jwt:
                secret: \(GatewayHarness.secret)
            collections:
              notes:
                fields: { text: { type: string, required: true } }
            \(tasks ? "  tasks:\n    fields: { title: { type: string } }" : "")
            policies:
              notes:
                editor: { actions: [create, read] }
            """
        }
        let config = try TemporaryDirectory(["gateway.yml": yaml(openAPI: "public", tasks: false)])
        defer { config.remove() }
        let gateway = try await GatewayProcess.start(configDirectory: config.path, database: TestBackend.uniqueDatabaseName())
        defer { gateway.stop() }
        func paths() async throws -> [String] {
            let reply = try await gateway.send("GET", "/openapi.json", token: "not-a-token")
            #expect(reply.status == 200, "\(reply.body)")
            return try JSONReader.parseDocument(reply.body).document("paths")?.keys ?? []
        }
        let before = try await paths()
        #expect(before.contains("/notes") && !before.contains("/tasks"))

        try config.write("gateway.yml", yaml(openAPI: "public", tasks: true))
        try gateway.hangUp()
        #expect(try await gateway.log(contains: "configuration reloaded", count: 1))
        #expect(try await paths().contains("/tasks"))

        try config.write("gateway.yml", yaml(openAPI: "off", tasks: true))
        try gateway.hangUp()
        #expect(try await gateway.log(contains: "configuration reloaded", count: 2))
        #expect(try await gateway.send("GET", "/openapi.json", token: "not-a-token").status == 404)
    }
}
