import Foundation
import PMBSON
import PMPolicy
import PMTestKit
import PMTestSupport
import Testing
@testable import PermissionMongo

/// The OpenAPI documents of real configurations, judged by openapi-spec-validator: the example
/// configuration as `permission-mongo openapi` prints it, and the configurations the
/// integration tests run gateways with, whole and as some of their callers see them.
@Suite struct OpenAPIValidationTests {
    static let examplePolicies = RepositoryFiles.root + "/policies"

    @Test func theExampleConfigurationPrintedByTheCommand() async throws {
        let printed = try await ClientBinary.run(["openapi", "--config", Self.examplePolicies])
        #expect(printed.status == 0, "\(printed.stderr)")
        let verdict = try await OpenAPITools.validate(printed.stdout)
        #expect(verdict.status == 0, "\(verdict.stdout)\(verdict.stderr)")
        #expect(verdict.stdout.contains("OK"))
        // Every collection and action, whatever the roles.
        let config = try ConfigLoader.load(directory: Self.examplePolicies, environment: [:])
        #expect(printed.stdout == OpenAPIDocument.everything(config).jsonString + "\n")
        let paths = try JSONReader.parseDocument(printed.stdout).document("paths")?.keys ?? []
        for path in ["/line_items/batch", "/orders/{id}/versions/{n}/restore", "/products/{id}", "/batch", "/_hooks/deliveries"] {
            #expect(paths.contains(path), "\(path)")
        }
    }

    @Test func aConfigurationWithProblemsPrintsThem() async throws {
        let directory = try TemporaryDirectory(["c.yml": "server:\n  openapi: sometimes\n"])
        defer { directory.remove() }
        let printed = try await ClientBinary.run(["openapi", "--config", directory.path])
        #expect(printed.status == 2)
        #expect(printed.stdout.isEmpty)
        #expect(printed.stderr.contains("server.openapi: must be one of authenticated, public, off (got \"sometimes\")"))
    }

    /// The configurations of the integration harnesses, and roles to see them as.
    static let configurations: [(name: String, yaml: String, roles: [[String]])] = [
        ("GatewayHarness", GatewayHarness.productsYAML, [["viewer"], ["editor"], ["admin"]]),
        ("ChangeFixtures", ChangeFixtures.yaml, [["editor"], ["writer"]]),
        ("DenyReadFixtures", DenyReadFixtures.yaml, [["viewer"], ["writer"]]),
        ("MixedBatchFixtures", MixedBatchFixtures.yaml, [["clerk"]]),
        ("MultipleOfGatewayTests", MultipleOfGatewayTests.yaml, [["editor"]]),
        ("RateLimitTests", RateLimitTests.yaml("per_tenant: { documents_per_second: 1, burst: 5 }\nper_user: { requests_per_second: 1 }"),
         [["member"]]),
        ("HooksHarness", HooksHarness.yaml(port: 9, hooks: [
            HooksHarness.Hook(event: "pre_create", path: "/check"),
            HooksHarness.Hook(event: "post_update", path: "/index", mode: "batch", collection: "orders"),
        ]), [["editor"]]),
        ("public", GatewayHarness.productsYAML.replacingOccurrences(of: "server:\n", with: "server:\n  openapi: public\n"), []),
        ("off", GatewayHarness.productsYAML.replacingOccurrences(of: "server:\n", with: "server:\n  openapi: off\n"), []),
    ]

    @Test(arguments: configurations.map(\.name))
    func theHarnessConfigurations(_ name: String) async throws {
        let configuration = try #require(Self.configurations.first { $0.name == name })
        let directory = try TemporaryDirectory(["gateway.yml": configuration.yaml])
        defer { directory.remove() }
        let config = try ConfigLoader.load(directory: directory.path, environment: ["PM_MONGODB_URI": "mongodb://127.0.0.1:1"])
        var documents = [("everything", OpenAPIDocument.everything(config))]
        for roles in configuration.roles {
            let caller = PolicyUser(id: "u1", tenantId: "acme", roles: roles)
            documents.append(("\(roles)", OpenAPIDocument(config: config, audience: .caller(caller, config)).document))
        }
        for (audience, document) in documents {
            let verdict = try await OpenAPITools.validate(document.jsonString)
            #expect(verdict.status == 0, "\(name) as \(audience): \(verdict.stdout)\(verdict.stderr)")
        }
    }
}
