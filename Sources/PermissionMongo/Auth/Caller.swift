import JWTKit
import PMPolicy

/// The authenticated user a request acts for, as read from its verified JWT: the same
/// value the policy language calls `user` (`user.id`, `user.tenant_id`, `user.roles`,
/// `user.claims.*`).
public typealias Caller = PolicyUser

/// The payload `TokenMinter` signs (`permission-mongo token`): `sub`, `tenant_id`, `roles`, `exp`,
/// and `iss`/`aud` when the gateway checks them.
/// Verification reads payloads as documents instead (`TokenVerifier`, `ClaimMapping`).
struct TokenClaims: JWTPayload {
    var sub: SubjectClaim
    var tenant_id: String
    var roles: [String]
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?
    var iss: String?
    var aud: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp?.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }
}
