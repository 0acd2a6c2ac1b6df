import PMBSON
import Testing
@testable import PermissionMongo

@Suite("Claim paths")
struct ClaimPathTests {
    static let payload = try! JSONReader.parseDocument(#"""
        {"sub":"u","tenant_id":"t","realm_access":{"roles":["a","b"]},"org":{"id":"acme"},
         "https://example.com/roles":["x"],"a.b":1,"~t":2,"cognito:groups":["g"],"list":[{"id":"first"}],
         "scope":"read write,admin  ,"}
        """#)

    @Test func dottedPathsWalkDocumentsAndArrays() throws {
        #expect(try ClaimPath(parsing: "sub").value(in: Self.payload) == .string("u"))
        #expect(try ClaimPath(parsing: "org.id").value(in: Self.payload) == .string("acme"))
        #expect(try ClaimPath(parsing: "realm_access.roles").components == ["realm_access", "roles"])
        #expect(try ClaimPath(parsing: "list.0.id").value(in: Self.payload) == .string("first"))
        #expect(try ClaimPath(parsing: "cognito:groups").value(in: Self.payload) == .array([.string("g")]))
        #expect(try ClaimPath(parsing: "org.missing").value(in: Self.payload) == nil)
        #expect(try ClaimPath(parsing: "sub.deeper").value(in: Self.payload) == nil)
    }

    @Test func jsonPointersNameClaimsWithDotsAndSlashes() throws {
        let auth0 = try ClaimPath(parsing: "/https:~1~1example.com~1roles")
        #expect(auth0.components == ["https://example.com/roles"])
        #expect(auth0.value(in: Self.payload) == .array([.string("x")]))
        #expect(try ClaimPath(parsing: "/a.b").value(in: Self.payload) == .int32(1) ||
                (try ClaimPath(parsing: "/a.b").value(in: Self.payload)) == .int64(1))
        #expect(try ClaimPath(parsing: "/~0t").components == ["~t"])
        #expect(try ClaimPath(parsing: "/org/id").value(in: Self.payload) == .string("acme"))
    }

    @Test(arguments: ["", ".sub", "sub.", "a..b", "/", "/a//b", "/a~2", "/a~"])
    func malformedPathsAreRefused(_ text: String) {
        #expect(throws: ClaimPath.Invalid.self) { try ClaimPath(parsing: text) }
    }

    @Test func rolesMayBeAListOrASeparatedString() throws {
        let scope = ClaimMapping(
            user: try ClaimPath(parsing: "sub"), tenant: try ClaimPath(parsing: "tenant_id"), roles: try ClaimPath(parsing: "scope"))
        #expect(try scope.caller(from: Self.payload).roles == ["read", "write", "admin"])
        let keycloak = ClaimMapping(
            user: try ClaimPath(parsing: "sub"), tenant: try ClaimPath(parsing: "org.id"),
            roles: try ClaimPath(parsing: "realm_access.roles"))
        let caller = try keycloak.caller(from: Self.payload)
        #expect(caller.roles == ["a", "b"])
        #expect(caller.tenantId == "acme")
        #expect(try ClaimMapping.default.caller(from: JSONReader.parseDocument(#"{"sub":"u","tenant_id":"t"}"#)).roles == [])
    }

    @Test func aMissingTenantNamesTheClaimPath() throws {
        let mapping = ClaimMapping(
            user: try ClaimPath(parsing: "sub"), tenant: try ClaimPath(parsing: "org.tenant"), roles: try ClaimPath(parsing: "roles"))
        #expect {
            try mapping.caller(from: Self.payload)
        } throws: { error in
            guard let error = error as? GatewayError else { return false }
            return error.code == "unauthorized" && error.message.contains(#"claim "org.tenant""#)
        }
    }
}
