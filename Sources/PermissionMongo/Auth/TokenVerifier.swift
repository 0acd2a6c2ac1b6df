import Foundation
import JWTKit
import PMBSON

/// Verifies HS256 bearer tokens with the configured secret and turns them into a `Caller`.
/// Every failure is a 401 with a message that says what was wrong, never why a guess was close.
public struct TokenVerifier: Sendable {
    private let keys: JWTKeyCollection

    public init(secret: String) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    public func caller(authorization: String?) async throws -> Caller {
        guard let authorization, !authorization.isEmpty else {
            throw unauthorized("missing bearer token")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw unauthorized("Authorization header must be 'Bearer <token>'")
        }
        return try await caller(token: String(parts[1]))
    }

    public func caller(token: String) async throws -> Caller {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3,
              let header = Self.decodeSegment(segments[0]),
              let payload = Self.decodeSegment(segments[1])
        else { throw unauthorized("malformed token") }
        guard header["alg"] == .string("HS256") else {
            throw unauthorized("token must be signed with HS256")
        }
        let claims: TokenClaims
        do {
            claims = try await keys.verify(token, as: TokenClaims.self)
        } catch let error as JWTError {
            throw unauthorized(Self.reason(error))
        } catch is DecodingError {
            throw unauthorized("token lacks a required claim (sub, tenant_id, roles) or has one of the wrong type")
        } catch {
            throw unauthorized("invalid token")
        }
        guard !claims.sub.value.isEmpty else { throw unauthorized("token has an empty sub") }
        guard !claims.tenant_id.isEmpty else { throw unauthorized("token has an empty tenant_id") }
        return Caller(id: claims.sub.value, tenantId: claims.tenant_id, roles: claims.roles, claims: payload)
    }

    private static func reason(_ error: JWTError) -> String {
        switch error.errorType {
        case .signatureVerificationFailed: "token signature is invalid"
        case .claimVerificationFailure: "token is expired or not yet valid"
        case .malformedToken: "malformed token"
        default: "invalid token (\(error.errorType))"
        }
    }

    private static func decodeSegment(_ segment: Substring) -> BSONDocument? {
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONReader.parseDocument([UInt8](data))
    }

    private func unauthorized(_ message: String) -> GatewayError {
        GatewayError(.unauthorized, message)
    }
}
