import Foundation
import JWTKit
import Logging

/// Verification of one token with its key already loaded (no fetch), through the same
/// `TokenVerifier` a request uses: what authentication costs per request. For the
/// in-process benchmarks.
public struct TokenVerificationProbe: Sendable {
    public enum Algorithm: String, CaseIterable, Sendable {
        case rs256 = "RS256", es256 = "ES256", eddsa = "EdDSA", hs256 = "HS256"
    }

    public let token: String
    private let verifier: TokenVerifier

    /// `rsaPrivateKeyPEM`: the RSA key RS256 tokens are signed with (generating one takes long).
    public init(_ algorithm: Algorithm, rsaPrivateKeyPEM: String) async throws {
        let signing = JWTKeyCollection()
        let jwk: String
        switch algorithm {
        case .rs256:
            let key = try Insecure.RSA.PrivateKey(pem: rsaPrivateKeyPEM)
            let primitives = try key.publicKey.getKeyPrimitives()
            jwk = #"{"kty":"RSA","kid":"k","alg":"RS256","n":"\#(Self.base64url(primitives.modulus))","e":"\#(Self.base64url(primitives.publicExponent))"}"#
            await signing.add(rsa: key, digestAlgorithm: .sha256, kid: "k")
        case .es256:
            let key = ES256PrivateKey()
            let (x, y) = key.publicKey.parameters!
            jwk = #"{"kty":"EC","crv":"P-256","kid":"k","x":"\#(x)","y":"\#(y)"}"#
            await signing.add(ecdsa: key, kid: "k")
        case .eddsa:
            let key = try EdDSA.PrivateKey(curve: .ed25519)
            jwk = #"{"kty":"OKP","crv":"Ed25519","kid":"k","x":"\#(Self.base64url(key.publicKey.rawRepresentation))"}"#
            await signing.add(eddsa: key, kid: "k")
        case .hs256:
            jwk = ""
            await signing.add(hmac: HMACKey(from: Self.secret), digestAlgorithm: .sha256, kid: "k")
        }
        let now = Int(Date().timeIntervalSince1970)
        let claims = #"{"sub":"user-1","iss":"https://idp.example.com/","aud":"permission-mongo","iat":\#(now),"exp":\#(now + 86400),"tenant_id":"acme","roles":["viewer","editor"]}"#
        let header = #"{"alg":"\#(algorithm.rawValue)","typ":"JWT","kid":"k"}"#
        let input = Self.base64url(Data(header.utf8)) + "." + Self.base64url(Data(claims.utf8))
        let signature = try await signing.getKey(for: "k").sign(Array(input.utf8))
        token = input + "." + Self.base64url(Data(signature))

        var settings = AuthSettings(
            jwtSecret: algorithm == .hs256 ? Self.secret : nil,
            issuers: ["https://idp.example.com/"], audiences: ["permission-mongo"])
        if algorithm != .hs256 {
            let bytes = Array(#"{"keys":[\#(jwk)]}"#.utf8)
            settings.jwksFile = JWKSFile(path: "(benchmark)", keys: try VerificationKeys.decode(bytes), bytes: bytes)
        }
        verifier = try await TokenVerifier(settings: settings, logger: Logger(label: "benchmark"))
    }

    /// Verifies the token and maps its claims; the caller's role count.
    public func verify() async throws -> Int {
        try await verifier.caller(authorization: "Bearer " + token).roles.count
    }

    private static let secret = "benchmark-secret-0123456789-0123456789"

    private static func base64url(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
