import Foundation
import JWTKit

/// An HS256 signature with any secret: the forged token of an algorithm-confusion attack.
enum TokenMinterSignature {
    static func hs256(_ input: String, secret: String) async -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: "forged")
        let key = try! await keys.getKey(for: "forged")
        return TestSigningKey.base64url(Data(try! key.sign(Array(input.utf8))))
    }
}
