import Foundation
import PMTestKit
import PMTestSupport
import Testing

/// The real `permission-mongo` binary with identity-provider settings: `check` reports the
/// auth section's problems with file and line; `serve` starts while the provider cannot be
/// reached and says it is not ready.
@Suite("Identity provider commands")
struct IdentityCommandTests {
    @Test func checkReportsAuthProblemsWithFileAndLine() async throws {
        let config = try TemporaryDirectory(["gateway.yml": """
            database:
              uri: mongodb://127.0.0.1:1
            auth:
              jwt:
                jwks_file: keys/missing.json
                issuer: []
                leeway_s: -5
              claims:
                tenant: org..id
            """])
        defer { config.remove() }
        let result = try await ClientBinary.run(["check", "--config", config.path])
        #expect(result.status == 1)
        let file = config.file("gateway.yml")
        #expect(result.stderrLines.dropFirst() == [
            "  \(file):5: auth.jwt.jwks_file: cannot read \(config.file("keys/missing.json"))",
            "  \(file):6: auth.jwt.issuer: must not be an empty list",
            "  \(file):7: auth.jwt.leeway_s: must be at least 0",
            "  \(file):9: auth.claims.tenant: \"org..id\" has an empty name between dots (a JSON pointer such as /a.b names a claim with dots)",
        ], "\(result.stderr)")
    }

    @Test func serveStartsWhileTheProviderIsDownAndIsNotReady() async throws {
        let gone = try await TestJWKSServer(serving: "{}")
        await gone.stop()
        let config = try TemporaryDirectory(["gateway.yml": IdentityProviderConfig.yaml(
            auth: IdentityProviderConfig.jwksURL(gone.url))])
        defer { config.remove() }
        let gateway = try await GatewayProcess.start(
            configDirectory: config.path, database: TestBackend.uniqueDatabaseName())
        defer { gateway.stop() }
        let ready = try await gateway.send("GET", "/readyz", token: "")
        #expect(ready.status == 503)
        #expect(ready.body.contains(#""code":"auth_unavailable""#), "\(ready.body)")
        #expect(ready.body.contains(gone.url), "\(ready.body)")
        #expect(try await gateway.send("GET", "/healthz", token: "").status == 200)
    }
}
