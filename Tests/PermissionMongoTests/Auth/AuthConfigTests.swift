import Foundation
import PMConfigFiles
import PMTestKit
import Testing
@testable import PermissionMongo

@Suite("Auth configuration")
struct AuthConfigTests {
    static let database = "database:\n  uri: mongodb://x\n"
    static let rsaJWK = #"{"keys":[{"kty":"RSA","kid":"k1","alg":"RS256","n":"sXch","e":"AQAB"}]}"#

    @Test func everyKeyIsRead() throws {
        let directory = try TemporaryDirectory(["a.yml": Self.database + """
            auth:
              jwt:
                jwks_url: https://idp.example.com/.well-known/jwks.json
                jwks_file: keys.json
                jwks_refresh_s: 60
                issuer: https://idp.example.com/
                audience: [api, permission-mongo]
                leeway_s: 5
              claims:
                user: email
                tenant: /https:~1~1example.com~1tenant
                roles: realm_access.roles
              admin_roles: [ops]
            """, "keys.json": Self.rsaJWK])
        defer { directory.remove() }
        let auth = try ConfigLoader.load(directory: directory.path, environment: [:]).auth
        #expect(auth.jwtSecret == nil)
        #expect(auth.jwksURL == "https://idp.example.com/.well-known/jwks.json")
        #expect(auth.jwksFile?.path == directory.file("keys.json"))
        #expect(auth.jwksFile?.keys.keys.count == 1)
        #expect(auth.jwksRefreshSeconds == 60)
        #expect(auth.issuers == ["https://idp.example.com/"])
        #expect(auth.audiences == ["api", "permission-mongo"])
        #expect(auth.leewaySeconds == 5)
        #expect(auth.claims.user.text == "email")
        #expect(auth.claims.tenant.components == ["https://example.com/tenant"])
        #expect(auth.claims.roles.components == ["realm_access", "roles"])
        #expect(auth.adminRoles == ["ops"])
    }

    @Test func defaults() throws {
        let auth = try loadTestConfig([("a.yml", configBaseYAML)]).auth
        #expect(auth.jwksRefreshSeconds == 300)
        #expect(auth.leewaySeconds == 30)
        #expect(auth.issuers.isEmpty && auth.audiences.isEmpty)
        #expect(auth.claims == .default)
    }

    @Test func checkReportsEveryAuthProblemWithFileAndLine() {
        let problems = configProblemLines([("a.yml", Self.database + """
            auth:
              jwt:
                secret: short
                jwks_url: ftp://idp
                issuer: []
                audience: ""
                leeway_s: -1
                jwks_refresh_s: 0
                algorithm: RS256
              claims:
                user: ""
                tenant: org..id
                roles: /a~2
            """)])
        #expect(problems == [
            "cfg/a.yml:5: auth.jwt.secret: must be at least 32 bytes for HS256 (has 5)",
            "cfg/a.yml:6: auth.jwt.jwks_url: must be an http:// or https:// URL",
            "cfg/a.yml:7: auth.jwt.issuer: must not be an empty list",
            "cfg/a.yml:8: auth.jwt.audience: must not be empty",
            "cfg/a.yml:9: auth.jwt.leeway_s: must be at least 0",
            "cfg/a.yml:10: auth.jwt.jwks_refresh_s: must be at least 1",
            "cfg/a.yml:11: auth.jwt.algorithm: unknown key (expected one of: \(AuthSettingsReader.jwtKeys.joined(separator: ", ")))",
            "cfg/a.yml:13: auth.claims.user: must not be empty",
            "cfg/a.yml:14: auth.claims.tenant: \"org..id\" has an empty name between dots (a JSON pointer such as /a.b names a claim with dots)",
            "cfg/a.yml:15: auth.claims.roles: JSON pointer \"/a~2\" has \"~2\"; only ~0 (~) and ~1 (/) are escapes",
        ])
    }

    @Test func aKeySourceIsRequired() {
        #expect(configProblemLines([("a.yml", Self.database + "auth:\n  jwt:\n    issuer: x\n")]) == [
            "cfg/a.yml:4: auth.jwt: needs a key source: secret (or PM_JWT_SECRET), jwks_url or jwks_file",
        ])
        #expect(configProblemLines([("a.yml", Self.database + "auth:\n  jwt:\n    jwks_url: https://idp/jwks\n")]) == [])
    }

    @Test func anUnreadableOrMalformedKeyFileIsAProblem() throws {
        let directory = try TemporaryDirectory([
            "a.yml": Self.database + "auth:\n  jwt:\n    jwks_file: missing.json\n",
            "b.yml": "collections:\n  x: {}\n",
        ])
        defer { directory.remove() }
        let problems = { () -> [String] in
            do throws(ConfigError) {
                _ = try ConfigLoader.load(directory: directory.path, environment: [:])
                return []
            } catch {
                return error.problems.map { $0.description }
            }
        }
        #expect(problems() == ["\(directory.file("a.yml")):5: auth.jwt.jwks_file: cannot read \(directory.file("missing.json"))"])
        try "not json".write(toFile: directory.file("missing.json"), atomically: true, encoding: .utf8)
        #expect(problems().first?.contains("not a JSON Web Key Set") == true)
        try #"{"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0"}]}"#.write(toFile: directory.file("missing.json"), atomically: true, encoding: .utf8)
        #expect(problems().first?.contains("has no usable key") == true)
    }
}
