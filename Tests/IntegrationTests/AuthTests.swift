import Foundation
import JWTKit
import HTTPTypes
import PMBSON
import PermissionMongo
import Testing

@Suite("Authentication")
struct AuthTests {
    static func base64url(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test func everyBadTokenIs401WithTheEnvelope() async throws {
        try await GatewayHarness.with { api in
            let good = try await api.token()
            let parts = good.split(separator: ".").map(String.init)
            let payload = Self.base64url(#"{"sub":"user-123","tenant_id":"acme-corp","roles":["admin"]}"#)
            let noneHeader = Self.base64url(#"{"alg":"none","typ":"JWT"}"#)
            let otherSecret = await TokenMinter(secret: "a-completely-different-secret-0123456789")
            let expired = try await api.minter.token(subject: "u", tenantId: "t", roles: ["admin"], expiresIn: -60)
            let notYet = try await Self.notYetValidToken()
            let cases: [(String, String?)] = [
                ("missing", nil),
                ("not bearer", "Basic dXNlcjpwYXNz"),
                ("empty bearer", "Bearer "),
                ("malformed", "Bearer not-a-jwt"),
                ("two segments", "Bearer \(parts[0]).\(parts[1])"),
                ("tampered payload", "Bearer \(parts[0]).\(payload).\(parts[2])"),
                ("alg none", "Bearer \(noneHeader).\(payload)."),
                ("wrong secret", "Bearer " + (try await otherSecret.token(subject: "u", tenantId: "t", roles: ["admin"]))),
                ("expired", "Bearer \(expired)"),
                ("not yet valid (nbf)", "Bearer \(notYet)"),
            ]
            for (name, header) in cases {
                var headers = HTTPFields()
                if let header { headers[.authorization] = header }
                let reply = try await api.send(.get, "/products", token: nil, headers: headers)
                #expect(reply.status == .unauthorized, "\(name)")
                #expect(reply.json.document("error")?.string("code") == "unauthorized", "\(name)")
                #expect(reply.json.document("meta")?.string("request_id") != nil, "\(name)")
            }
            #expect(try await api.get("/products", token: good).status == .ok)
        }
    }

    /// A correctly signed token whose `nbf` is an hour ahead.
    struct FutureClaims: JWTPayload {
        var sub: SubjectClaim
        var tenant_id: String
        var roles: [String]
        var nbf: NotBeforeClaim
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func notYetValidToken() async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: GatewayHarness.secret), digestAlgorithm: .sha256)
        return try await keys.sign(FutureClaims(
            sub: "u", tenant_id: "t", roles: ["admin"], nbf: NotBeforeClaim(value: Date().addingTimeInterval(3600))))
    }

    @Test func tokenIsCheckedBeforeTheCollection() async throws {
        try await GatewayHarness.with { api in
            let reply = try await api.post("/nope/batch", token: nil, "{}")
            #expect(reply.status == .unauthorized)
        }
    }
}

@Suite("Tenancy")
struct TenancyTests {
    @Test func aTenantNeverSeesAnotherTenantsDocuments() async throws {
        try await GatewayHarness.with { api in
            let acme = try await api.token("u1", tenant: "acme", roles: ["admin"])
            let globex = try await api.token("u1", tenant: "globex", roles: ["admin"])
            let created = try await api.post("/products/batch", token: acme,
                                              #"{"documents":[{"name":"Acme thing","price":1},{"name":"Acme other","price":2}]}"#)
            let ids = created.json.strings("created")
            #expect(ids.count == 2)
            _ = try await api.post("/products/batch", token: globex, #"{"documents":[{"name":"Globex thing","price":3}]}"#)

            for id in ids {
                #expect(try await api.get("/products/\(id)", token: globex).status == .notFound)
                #expect(try await api.get("/products/\(id)", token: acme).status == .ok)
            }
            let globexList = try await api.get("/products", token: globex)
            #expect(globexList.json.int("count") == 1)
            #expect(globexList.json.documents("data").map { $0.string("name") } == ["Globex thing"])

            // Filters on tenant_id itself, or $or tricks, do not reach past the tenant.
            for filter in [#"{"tenant_id":"acme"}"#, #"{"$or":[{"tenant_id":"acme"},{"price":{"$gte":0}}]}"#] {
                let encoded = filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let reply = try await api.get("/products?filter=\(encoded)", token: globex)
                #expect(reply.status == .ok)
                #expect(reply.json.documents("data").allSatisfy { $0.string("tenant_id") == "globex" })
                #expect(reply.json.int("count") ?? 99 <= 1)
            }
        }
    }

    @Test func clientValuesForServerFieldsAreReplaced() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token("real-user", tenant: "real-tenant", roles: ["admin"])
            let reply = try await api.post("/products/batch", token: token, """
                {"documents":[{"_id":"507f1f77bcf86cd799439011","tenant_id":"evil","created_by":"mallory",
                               "created_at":"2000-01-01T00:00:00Z","name":"Sneaky","price":1}]}
                """)
            let id = try #require(reply.json.strings("created").first)
            #expect(id != "507f1f77bcf86cd799439011")
            let doc = try await api.get("/products/\(id)", token: token).json
            #expect(doc.string("tenant_id") == "real-tenant")
            #expect(doc.string("created_by") == "real-user")
            #expect(doc.string("created_at")?.hasPrefix("2000") == false)
        }
    }

    @Test func readPolicyFiltersInTheDatabase() async throws {
        try await GatewayHarness.with { api in
            let alice = try await api.token("alice", tenant: "t", roles: ["editor"])
            let bob = try await api.token("bob", tenant: "t", roles: ["editor"])
            let aliceDoc = try await api.post("/products/batch", token: alice, #"{"documents":[{"name":"Alice's","price":1}]}"#)
                .json.strings("created")[0]
            _ = try await api.post("/products/batch", token: bob, #"{"documents":[{"name":"Bob's","price":1}]}"#)
            // editor inherits viewer (read without `when`), so both see both.
            #expect(try await api.get("/products", token: bob).json.int("count") == 2)
            #expect(try await api.get("/products/\(aliceDoc)", token: bob).status == .ok)
        }
    }
}
