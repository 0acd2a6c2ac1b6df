import PMBSON

/// The registered claims a verified token must satisfy (docs/API.md, "Tokens"): `exp`,
/// `nbf` and `iat` within `leeway_s`, `iss` one of the configured issuers, `aud` naming one
/// of the configured audiences. No issuer or audience configured: that claim is not checked.
struct TokenClaimRules: Sendable {
    var issuers: [String]
    var audiences: [String]
    var leewaySeconds: Double

    /// `now`: seconds since 1970.
    func check(_ payload: BSONDocument, now: Double) throws(GatewayError) {
        if let exp = try time("exp", in: payload), now > exp + leewaySeconds {
            throw unauthorized("token is expired")
        }
        if let nbf = try time("nbf", in: payload), now + leewaySeconds < nbf {
            throw unauthorized("token is not yet valid (nbf)")
        }
        if let iat = try time("iat", in: payload), now + leewaySeconds < iat {
            throw unauthorized("token was issued in the future (iat)")
        }
        if !issuers.isEmpty {
            guard case .string(let iss)? = payload["iss"], issuers.contains(iss) else {
                throw unauthorized("token issuer (iss) is not accepted")
            }
        }
        if !audiences.isEmpty {
            let named: [String] = switch payload["aud"] {
            case .string(let aud)?: [aud]
            case .array(let values)?: values.compactMap { if case .string(let s) = $0 { s } else { nil } }
            default: []
            }
            guard named.contains(where: audiences.contains) else {
                throw unauthorized("token audience (aud) does not name this gateway")
            }
        }
    }

    /// The last moment (seconds since 1970) a token passing `check` now still passes: its
    /// `exp` plus the leeway; nil without `exp`. `nbf`, `iat`, `iss` and `aud` only ever pass
    /// more as time goes on.
    func acceptedUntil(_ payload: BSONDocument) -> Double? {
        (try? time("exp", in: payload)).flatMap { $0 }.map { $0 + leewaySeconds }
    }

    /// A NumericDate claim: absent is nil, anything but a number is refused.
    private func time(_ name: String, in payload: BSONDocument) throws(GatewayError) -> Double? {
        switch payload[name] {
        case nil, .null?: nil
        case .int32(let value)?: Double(value)
        case .int64(let value)?: Double(value)
        case .double(let value)?: value
        default: throw unauthorized("token claim \(name) must be a number")
        }
    }

    private func unauthorized(_ message: String) -> GatewayError {
        GatewayError(.unauthorized, message)
    }
}
