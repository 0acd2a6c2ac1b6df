import JWTKit

/// The `alg` values the gateway accepts (docs/API.md, "Tokens"), and which of them fit a
/// published key. Anything else (`none`, `ES512`, `RSA-OAEP`, ...) is refused.
enum TokenAlgorithm: String, CaseIterable, Sendable {
    case hs256 = "HS256"
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384"
    case eddsa = "EdDSA"

    var jwkAlgorithm: JWK.Algorithm? { self == .hs256 ? nil : JWK.Algorithm(rawValue: rawValue) }

    /// The algorithms a key of the set may verify: its own `alg` when it names one, else
    /// every algorithm of its key type (and curve).
    static func fitting(_ jwk: JWK) -> [TokenAlgorithm] {
        let byType: [TokenAlgorithm] = switch jwk.keyType {
        case .rsa: [.rs256, .rs384, .rs512, .ps256, .ps384, .ps512]
        case .ecdsa:
            switch jwk.curve?.rawValue {
            case "P-256": [.es256]
            case "P-384": [.es384]
            default: []
            }
        case .octetKeyPair: jwk.curve?.rawValue == "Ed25519" ? [.eddsa] : []
        default: []
        }
        guard let declared = jwk.algorithm else { return byType }
        return byType.filter { $0.rawValue == declared.rawValue }
    }
}
