import Logging
import Testing
@testable import PermissionMongo

@Suite("Token minter")
struct TokenMinterTests {
    static let secret = "minter-test-secret-0123456789-0123456789"

    @Test func mintedTokensCarryTheIssuerAndAudienceTheGatewayChecks() async throws {
        let settings = AuthSettings(jwtSecret: Self.secret, issuers: ["https://idp/"], audiences: ["api"])
        let verifier = try await TokenVerifier(settings: settings, logger: Logger(label: "test"))
        let minter = await TokenMinter(secret: Self.secret)
        let token = try await minter.token(subject: "u", tenantId: "t", roles: ["a"], issuer: "https://idp/", audience: "api")
        let caller = try await verifier.caller(token: token)
        #expect(caller.id == "u" && caller.tenantId == "t" && caller.roles == ["a"])
        let without = try await minter.token(subject: "u", tenantId: "t", roles: ["a"])
        await #expect(throws: GatewayError.self) { try await verifier.caller(token: without) }
    }
}
