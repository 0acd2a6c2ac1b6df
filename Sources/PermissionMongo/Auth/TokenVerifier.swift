import Foundation
import JWTKit
import Logging
import PMBSON
import ServiceLifecycle

/// Verifies bearer tokens and turns them into a `Caller` (docs/API.md, "Tokens"): HS256 with
/// `auth.jwt.secret`; RS/PS/ES/EdDSA with a key of `jwks_file` or `jwks_url`, chosen by the
/// token's `kid` and refused when the token's `alg` does not fit it. Every refusal is a 401
/// that says what was wrong; no usable key because the provider cannot be reached is a 503
/// `auth_unavailable`.
public struct TokenVerifier: Sendable {
    private let secretKey: (any JWTAlgorithm)?
    private let fileKeys: VerificationKeys?
    private let remote: RemoteKeySet?
    private let refreshInterval: Duration
    private let rules: TokenClaimRules
    private let mapping: ClaimMapping
    private let logger: Logger
    private let verified = VerifiedTokens()

    /// HS256 with `secret` only, default claims, no `iss`/`aud` checks.
    public init(secret: String) async {
        try! await self.init(settings: AuthSettings(jwtSecret: secret), logger: Logger(label: "token-verifier"))
    }

    /// Builds the keys of `settings`. Nothing is fetched here: `refreshService()` loads a
    /// `jwks_url` set when the server runs.
    public init(settings: AuthSettings, logger: Logger) async throws {
        secretKey = if let secret = settings.jwtSecret { await VerificationKeys.hmac(secret: secret) } else { nil }
        if let jwks = settings.jwksFile {
            let keys = await VerificationKeys.build(jwks.keys)
            for reason in keys.skipped {
                logger.warning("jwks_file key skipped", metadata: ["file": "\(jwks.path)", "reason": "\(reason)"])
            }
            fileKeys = keys
        } else {
            fileKeys = nil
        }
        remote = if let url = settings.jwksURL { try RemoteKeySet(url: url, logger: logger) } else { nil }
        refreshInterval = .seconds(settings.jwksRefreshSeconds)
        rules = TokenClaimRules(issuers: settings.issuers, audiences: settings.audiences, leewaySeconds: Double(settings.leewaySeconds))
        mapping = settings.claims
        self.logger = logger
    }

    /// Loads and refreshes the `jwks_url` set, when there is one.
    func refreshService() -> (any Service)? {
        remote.map { KeySetRefreshService(keys: $0, interval: refreshInterval) }
    }

    /// `nil` when tokens can be verified; else why not (no `jwks_url` set loaded yet).
    var notReadyReason: String? {
        guard let remote, !remote.isLoaded else { return nil }
        return "no key set loaded yet from \(HookURL.masked(remote.url))"
    }

    func shutdown() async {
        await remote?.shutdown()
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
        let now = Date().timeIntervalSince1970
        let generation = remote?.generation ?? 0
        if let known = verified.caller(for: token, now: now, generation: generation) { return known }
        let (caller, acceptedUntil) = try await verify(token: token, now: now)
        verified.remember(token, as: caller, acceptedUntil: acceptedUntil, now: now, generation: generation)
        return caller
    }

    /// The caller of a token checked in full, and until when its `exp` lets it pass.
    private func verify(token: String, now: Double) async throws -> (Caller, acceptedUntil: Double?) {
        let segments = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3,
              let header = Base64URL.decode(segments[0]).flatMap({ try? JSONReader.parseDocument($0) }),
              let payload = Base64URL.decode(segments[1]).flatMap({ try? JSONReader.parseDocument($0) }),
              let signature = Base64URL.decode(segments[2])
        else { throw unauthorized("malformed token") }
        guard case .string(let name)? = header["alg"] else { throw unauthorized("token header has no alg") }
        guard let algorithm = TokenAlgorithm(rawValue: name) else {
            throw unauthorized("token algorithm \"\(name)\" is not accepted")
        }
        let kid: String? = if case .string(let kid)? = header["kid"] { kid } else { nil }
        let key = try await self.key(for: algorithm, kid: kid)
        let signingInput = token.utf8.prefix(segments[0].count + 1 + segments[1].count)
        let valid = (try? key.verify(signature, signs: Array(signingInput))) ?? false
        guard valid else { throw unauthorized("token signature is invalid") }
        try rules.check(payload, now: now)
        return (try mapping.caller(from: payload), rules.acceptedUntil(payload))
    }

    /// The key that verifies a token of `algorithm` and `kid`.
    private func key(for algorithm: TokenAlgorithm, kid: String?) async throws(GatewayError) -> any JWTAlgorithm {
        if algorithm == .hs256 {
            guard let secretKey else { throw unauthorized("HS256 tokens are not accepted (no auth.jwt.secret)") }
            return secretKey
        }
        guard let kid else {
            if let key = fileKeys?.onlyKey(for: algorithm) ?? remote?.current?.onlyKey(for: algorithm) { return key }
            try refuseIfUnavailable(kid: nil)
            throw unauthorized("token has no kid")
        }
        switch lookup(kid: kid, algorithm: algorithm) {
        case .found(let key): return key
        case .algorithmDoesNotFit: throw algorithmDoesNotFit(algorithm, kid)
        case .unknownKid: break
        }
        guard let remote else { throw unknownKid(kid) }
        await remote.refreshForUnknownKid()
        switch lookup(kid: kid, algorithm: algorithm) {
        case .found(let key): return key
        case .algorithmDoesNotFit: throw algorithmDoesNotFit(algorithm, kid)
        case .unknownKid:
            try refuseIfUnavailable(kid: kid)
            throw unknownKid(kid)
        }
    }

    private func lookup(kid: String, algorithm: TokenAlgorithm) -> VerificationKeys.Lookup {
        if let fileKeys {
            let found = fileKeys.lookup(kid: kid, algorithm: algorithm)
            if case .unknownKid = found {} else { return found }
        }
        return remote?.current?.lookup(kid: kid, algorithm: algorithm) ?? .unknownKid
    }

    /// 503 when the key may exist but the provider cannot be asked for it.
    private func refuseIfUnavailable(kid: String?) throws(GatewayError) {
        guard let remote, remote.isFailing || !remote.isLoaded else { return }
        let masked = HookURL.masked(remote.url)
        logger.warning("token refused: the JWKS cannot be fetched", metadata: ["url": "\(masked)", "kid": "\(kid ?? "-")"])
        throw GatewayError(
            .authUnavailable, "the identity provider's key set cannot be fetched from \(masked); try again later")
    }

    private func algorithmDoesNotFit(_ algorithm: TokenAlgorithm, _ kid: String) -> GatewayError {
        unauthorized("token algorithm \(algorithm.rawValue) does not fit key \"\(kid)\"")
    }

    private func unknownKid(_ kid: String) -> GatewayError {
        unauthorized("token key \"\(kid)\" is not in the key set")
    }

    private func unauthorized(_ message: String) -> GatewayError {
        GatewayError(.unauthorized, message)
    }
}
