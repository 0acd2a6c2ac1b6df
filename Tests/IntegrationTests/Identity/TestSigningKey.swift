import CryptoExtras
import Foundation
import JWTKit

/// A key pair made for one test: signs tokens like an identity provider, and publishes its
/// public half as a JWK.
struct TestSigningKey: Sendable {
    let kid: String
    let alg: String
    /// The public JWK, as JSON.
    let jwk: String
    private let signer: any JWTAlgorithm

    static func rsa(kid: String, alg: String = "RS256", declareAlg: Bool = true) async throws -> TestSigningKey {
        let key = try Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        let primitives = try key.publicKey.getKeyPrimitives()
        let algField = declareAlg ? #","alg":"\#(alg)""# : ""
        let jwk = #"{"kty":"RSA","use":"sig","kid":"\#(kid)"\#(algField),"n":"\#(base64url(primitives.modulus))","e":"\#(base64url(primitives.publicExponent))"}"#
        let keys = JWTKeyCollection()
        let digest: DigestAlgorithm = alg.hasSuffix("384") ? .sha384 : alg.hasSuffix("512") ? .sha512 : .sha256
        if alg.hasPrefix("PS") {
            await keys.add(pss: key, digestAlgorithm: digest, kid: JWKIdentifier(string: kid))
        } else {
            await keys.add(rsa: key, digestAlgorithm: digest, kid: JWKIdentifier(string: kid))
        }
        return TestSigningKey(kid: kid, alg: alg, jwk: jwk, signer: try await keys.getKey(for: JWKIdentifier(string: kid)))
    }

    static func es256(kid: String) async throws -> TestSigningKey {
        let key = ES256PrivateKey()
        let (x, y) = key.publicKey.parameters!
        let jwk = #"{"kty":"EC","crv":"P-256","kid":"\#(kid)","x":"\#(x)","y":"\#(y)"}"#
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key, kid: JWKIdentifier(string: kid))
        return TestSigningKey(kid: kid, alg: "ES256", jwk: jwk, signer: try await keys.getKey(for: JWKIdentifier(string: kid)))
    }

    static func ed25519(kid: String) async throws -> TestSigningKey {
        let key = try EdDSA.PrivateKey(curve: .ed25519)
        let jwk = #"{"kty":"OKP","crv":"Ed25519","kid":"\#(kid)","x":"\#(base64url(key.publicKey.rawRepresentation))"}"#
        let keys = JWTKeyCollection()
        await keys.add(eddsa: key, kid: JWKIdentifier(string: kid))
        return TestSigningKey(kid: kid, alg: "EdDSA", jwk: jwk, signer: try await keys.getKey(for: JWKIdentifier(string: kid)))
    }

    /// `{"keys":[...]}` of `keys`.
    static func jwks(_ keys: [TestSigningKey]) -> String {
        #"{"keys":[\#(keys.map(\.jwk).joined(separator: ","))]}"#
    }

    /// A token of `claims` (JSON) signed by this key. `header` replaces the usual
    /// `{"alg","typ","kid"}` when given.
    func token(_ claims: String, header: String? = nil) throws -> String {
        let header = header ?? #"{"alg":"\#(alg)","typ":"JWT","kid":"\#(kid)"}"#
        let input = Self.base64url(Data(header.utf8)) + "." + Self.base64url(Data(claims.utf8))
        return input + "." + Self.base64url(Data(try signer.sign(Array(input.utf8))))
    }

    /// The claims of a typical provider token, valid for an hour.
    static func claims(
        now: Int = Int(Date().timeIntervalSince1970), sub: String = "user-1", tenant: String? = "acme", roles: [String] = ["viewer"],
        iss: String = IdentityProviderConfig.issuer, aud: String = IdentityProviderConfig.audience,
        extra: String = ""
    ) -> String {
        var fields = [#""sub":"\#(sub)""#, #""iss":"\#(iss)""#, #""aud":"\#(aud)""#, #""iat":\#(now)"#, #""exp":\#(now + 3600)"#]
        if let tenant { fields.append(#""tenant_id":"\#(tenant)""#) }
        fields.append(#""roles":[\#(roles.map { #""\#($0)""# }.joined(separator: ","))]"#)
        if !extra.isEmpty { fields.append(extra) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
