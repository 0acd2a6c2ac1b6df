import JWTKit

/// The JWT payload the gateway requires (docs/API.md, "Tokens"): `sub`, `tenant_id`, `roles`, optional `exp`/`nbf`.
struct TokenClaims: JWTPayload {
    var sub: SubjectClaim
    var tenant_id: String
    var roles: [String]
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp?.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }
}
