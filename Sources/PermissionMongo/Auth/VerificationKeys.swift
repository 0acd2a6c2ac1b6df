import Foundation
import JWTKit

/// One key set, immutable once built: for each `kid`, a verifier for each algorithm that
/// fits the key (docs/API.md, "Tokens"). jwt-kit's `JWTKeyCollection` decodes the JWKs and
/// builds the keys; verification then reads this value without locks or actor hops, and a
/// refresh builds a new set and swaps it whole.
struct VerificationKeys: Sendable {
    private let byKid: [String: [TokenAlgorithm: any JWTAlgorithm]]
    /// Keys of the set that cannot be used, each with why (logged when the set is loaded).
    let skipped: [String]

    var isEmpty: Bool { byKid.isEmpty }
    var count: Int { byKid.count }

    enum Lookup {
        case found(any JWTAlgorithm)
        /// The key exists but does not verify this algorithm (algorithm confusion).
        case algorithmDoesNotFit
        case unknownKid
    }

    func lookup(kid: String, algorithm: TokenAlgorithm) -> Lookup {
        guard let keys = byKid[kid] else { return .unknownKid }
        guard let key = keys[algorithm] else { return .algorithmDoesNotFit }
        return .found(key)
    }

    /// For a token without `kid`: the one key that verifies `algorithm`, if there is exactly one.
    func onlyKey(for algorithm: TokenAlgorithm) -> (any JWTAlgorithm)? {
        let keys = byKid.values.compactMap { $0[algorithm] }
        return keys.count == 1 ? keys[0] : nil
    }

    /// Why a key set document cannot be read.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// A JWKS document (`{"keys":[...]}`), checked for shape only. Keys jwt-kit cannot read
    /// (other key types, such as `oct`) are left out, not fatal.
    static func decode(_ bytes: [UInt8]) throws(Malformed) -> JWKS {
        do {
            let set = try JSONDecoder().decode(LenientSet.self, from: Data(bytes))
            return JWKS(keys: set.keys.compactMap(\.jwk))
        } catch {
            throw Malformed(description: "not a JSON Web Key Set ({\"keys\":[...]}): \(Self.describe(error))")
        }
    }

    private struct LenientSet: Decodable {
        struct Entry: Decodable {
            var jwk: JWK?
            init(from decoder: any Decoder) throws { jwk = try? JWK(from: decoder) }
        }
        var keys: [Entry]
    }

    /// Builds the verifiers of every usable key of `jwks`.
    static func build(_ jwks: JWKS) async -> VerificationKeys {
        let collection = JWTKeyCollection()
        var byKid: [String: [TokenAlgorithm: any JWTAlgorithm]] = [:]
        var skipped: [String] = []
        for (index, jwk) in jwks.keys.enumerated() {
            guard let kid = jwk.keyIdentifier?.string, !kid.isEmpty else {
                skipped.append("key \(index) has no kid")
                continue
            }
            let algorithms = TokenAlgorithm.fitting(jwk)
            guard !algorithms.isEmpty else {
                skipped.append("key \"\(kid)\": unsupported key type, curve or alg")
                continue
            }
            var keys: [TokenAlgorithm: any JWTAlgorithm] = [:]
            for algorithm in algorithms {
                // One entry per (kid, alg): a JWK without `alg` would otherwise keep the
                // first algorithm it was used with.
                var entry = jwk
                entry.algorithm = algorithm.jwkAlgorithm
                let id = JWKIdentifier(string: "\(kid)\u{0}\(algorithm.rawValue)")
                entry.keyIdentifier = id
                do {
                    try await collection.add(jwk: entry)
                    let key = try await collection.getKey(for: id, alg: algorithm.rawValue)
                    if key.name == algorithm.rawValue { keys[algorithm] = key }
                } catch {
                    skipped.append("key \"\(kid)\" (\(algorithm.rawValue)): \(describe(error))")
                    break
                }
            }
            if keys.count == algorithms.count { byKid[kid] = keys }
        }
        return VerificationKeys(byKid: byKid, skipped: skipped)
    }

    /// The HS256 key of `auth.jwt.secret`.
    static func hmac(secret: String) async -> any JWTAlgorithm {
        let collection = JWTKeyCollection()
        await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: "secret")
        return try! await collection.getKey(for: "secret")
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case let error as JWTError: error.reason ?? "\(error.errorType)"
        default: "\(error)"
        }
    }
}
