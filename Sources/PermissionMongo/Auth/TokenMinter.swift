import Foundation
import JWTKit

/// Mints HS256 tokens for the `token` command, examples and tests.
public struct TokenMinter: Sendable {
    private let keys: JWTKeyCollection

    public init(secret: String) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    /// `issuer`/`audience`: the `iss`/`aud` to carry, for a gateway that checks them.
    public func token(
        subject: String, tenantId: String, roles: [String], expiresIn: TimeInterval = 3600,
        issuer: String? = nil, audience: String? = nil
    ) async throws -> String {
        let claims = TokenClaims(
            sub: SubjectClaim(value: subject), tenant_id: tenantId, roles: roles,
            exp: ExpirationClaim(value: Date().addingTimeInterval(expiresIn)), nbf: nil, iss: issuer, aud: audience)
        return try await keys.sign(claims)
    }
}
