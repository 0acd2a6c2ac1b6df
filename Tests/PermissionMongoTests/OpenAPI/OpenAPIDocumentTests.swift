import PMBSON
import PMPolicy
import Testing
@testable import PermissionMongo

/// The OpenAPI document as a function of the configuration and the caller: which paths,
/// operations and components it holds (its validity is checked by a real validator in the
/// integration tests).
@Suite struct OpenAPIDocumentTests {
    static let yaml = """
        collections:
          products:
            fields:
              name:  { type: string, required: true }
              price: { type: number, min: 0 }
            versioning: { enabled: true }
          notes:
            fields:
              text: { type: string, required: true }
            additional_fields: reject
        policies:
          products:
            admin:  { actions: [create, read, update, delete, restore] }
            editor: { actions: [create, read, update] }
            viewer: { actions: [read], deny_read: [price] }
          notes:
            admin: { actions: [create, read] }

        """

    private func config(_ extra: String = "") throws -> GatewayConfig {
        try loadTestConfig(withBaseConfig(Self.yaml + extra))
    }

    private func document(_ config: GatewayConfig, roles: [String]?) -> BSONDocument {
        let audience: OpenAPIAudience = roles.map {
            .caller(PolicyUser(id: "u1", tenantId: "acme", roles: $0), config)
        } ?? .everyone(config)
        return OpenAPIDocument(config: config, audience: audience).document
    }

    /// `"<path> <method>"` of every operation, in document order.
    private func operations(_ document: BSONDocument) -> [String] {
        guard case .document(let paths)? = document["paths"] else { return [] }
        return paths.elements.flatMap { path in
            guard case .document(let item) = path.value else { return [String]() }
            return item.keys.map { "\(path.key) \($0)" }
        }
    }

    private func schemaNames(_ document: BSONDocument) -> [String] {
        guard case .document(let components)? = document["components"],
              case .document(let schemas)? = components["schemas"] else { return [] }
        return schemas.keys
    }

    @Test func everythingHasEveryCollectionActionAndRoute() throws {
        let ops = operations(document(try config(), roles: nil))
        #expect(ops == [
            "/notes get", "/notes post", "/notes/batch put", "/notes/batch post", "/notes/batch delete",
            "/notes/{id} get", "/notes/{id} put", "/notes/{id} delete", "/notes/{id}/relationships get",
            "/products get", "/products post", "/products/batch put", "/products/batch post", "/products/batch delete",
            "/products/{id} get", "/products/{id} put", "/products/{id} delete", "/products/{id}/relationships get",
            "/products/{id}/versions get", "/products/{id}/versions/{n}/restore post",
            "/batch post", "/_collections get", "/_hooks/deliveries get", "/_hooks/deliveries/retry post",
            "/_hooks/deliveries/{id}/retry post", "/openapi.json get", "/healthz get", "/readyz get", "/metrics get",
        ])
    }

    @Test func aCallerSeesWhatItMayUse() throws {
        let config = try config()
        let viewer = document(config, roles: ["viewer"])
        #expect(operations(viewer) == [
            "/products get", "/products/{id} get", "/products/{id}/relationships get", "/products/{id}/versions get",
            "/batch post", "/_collections get", "/openapi.json get", "/healthz get", "/readyz get", "/metrics get",
        ])
        #expect(schemaNames(viewer).contains("products.Document"))
        #expect(schemaNames(viewer).contains("products.Page"))
        #expect(!schemaNames(viewer).contains { $0.hasPrefix("notes.") || $0 == "products.Update" || $0 == "HookDelivery" })

        let editor = operations(document(config, roles: ["editor"]))
        #expect(editor.contains("/products/batch post") && editor.contains("/products/{id} put"))
        #expect(!editor.contains("/products/batch delete") && !editor.contains("/products/{id}/versions/{n}/restore post"))

        let admin = operations(document(config, roles: ["admin"]))
        #expect(admin.contains("/notes post") && admin.contains("/_hooks/deliveries get"))
        #expect(!admin.contains("/notes/{id} put"))

        // Unknown roles: no collection, only the routes every caller has.
        #expect(operations(document(config, roles: ["nobody"])) == [
            "/batch post", "/_collections get", "/openapi.json get", "/healthz get", "/readyz get", "/metrics get",
        ])
    }

    @Test func theSameInputsGiveTheSameBytes() throws {
        let first = document(try config(), roles: nil).jsonString
        #expect(first == document(try config(), roles: nil).jsonString)
        #expect(document(try config(), roles: ["viewer"]).jsonString == document(try config(), roles: ["viewer"]).jsonString)
    }

    @Test func operationIdsAreUnique() throws {
        let document = document(try config(), roles: nil)
        guard case .document(let paths)? = document["paths"] else { return }
        var ids: [String] = []
        for path in paths.elements {
            guard case .document(let item) = path.value else { continue }
            for operation in item.elements {
                if case .document(let fields) = operation.value, case .string(let id)? = fields["operationId"] { ids.append(id) }
            }
        }
        #expect(ids.count == operations(document).count)
        #expect(Set(ids).count == ids.count)
    }

    @Test func theOpenAPIRouteFollowsTheSetting() throws {
        func route(_ setting: String) throws -> BSON? {
            let document = document(try config("server:\n  openapi: \(setting)\n"), roles: nil)
            guard case .document(let paths)? = document["paths"], case .document(let item)? = paths["/openapi.json"],
                  case .document(let get)? = item["get"] else { return nil }
            return .document(get)
        }
        #expect(try route("off") == nil)
        guard case .document(let open)? = try route("public"), case .document(let closed)? = try route("authenticated") else {
            Issue.record("no /openapi.json")
            return
        }
        #expect(open["security"] == [])
        #expect(closed["security"] == nil)
    }

    @Test func rateLimitsAddTheirAnswerAndHeaders() throws {
        func listAnswers(_ extra: String) throws -> [String] {
            let document = document(try config(extra), roles: nil)
            guard case .document(let paths)? = document["paths"], case .document(let item)? = paths["/products"],
                  case .document(let get)? = item["get"], case .document(let responses)? = get["responses"] else { return [] }
            return responses.keys
        }
        #expect(try listAnswers("") == ["200", "400", "401", "403", "404", "500", "503", "default"])
        #expect(try listAnswers("server:\n  rate_limits: { per_user: { requests_per_second: 5 } }\n")
            == ["200", "400", "401", "403", "404", "429", "500", "503", "default"])
    }

    @Test func documentsSayWhatDenyReadHides() throws {
        let document = document(try config(), roles: nil)
        guard case .document(let components)? = document["components"], case .document(let schemas)? = components["schemas"],
              case .document(let products)? = schemas["products.Document"], case .document(let notes)? = schemas["notes.Document"],
              case .string(let productsSaid)? = products["description"], case .string(let notesSaid)? = notes["description"]
        else {
            Issue.record("no document schemas")
            return
        }
        #expect(productsSaid.contains("deny_read"))
        #expect(!notesSaid.contains("deny_read"))
        #expect(notes["additionalProperties"] == .bool(false))
    }
}
