import PMBSON

/// Which claims name the user, the tenant and the roles (`auth.claims`, docs/API.md,
/// "Claim mapping"), and how a verified payload becomes a `Caller`.
public struct ClaimMapping: Sendable, Equatable {
    public var user: ClaimPath
    public var tenant: ClaimPath
    public var roles: ClaimPath

    public static let `default` = ClaimMapping(
        user: try! ClaimPath(parsing: "sub"), tenant: try! ClaimPath(parsing: "tenant_id"),
        roles: try! ClaimPath(parsing: "roles"))

    public init(user: ClaimPath, tenant: ClaimPath, roles: ClaimPath) {
        self.user = user
        self.tenant = tenant
        self.roles = roles
    }

    /// The caller a verified payload names; 401 when the user or the tenant is missing or
    /// empty (the message names the claim path) or the roles claim has another shape.
    func caller(from payload: BSONDocument) throws(GatewayError) -> Caller {
        let user = try requiredString(self.user, "user id", in: payload)
        let tenant = try requiredString(self.tenant, "tenant", in: payload)
        return Caller(id: user, tenantId: tenant, roles: try roles(in: payload), claims: payload)
    }

    private func requiredString(_ path: ClaimPath, _ meaning: String, in payload: BSONDocument) throws(GatewayError) -> String {
        let text: String? = switch path.value(in: payload) {
        case .string(let value): value
        case .int32(let value): String(value)
        case .int64(let value): String(value)
        default: nil
        }
        guard let text, !text.isEmpty else {
            throw GatewayError(.unauthorized, "token claim \"\(path)\" (the \(meaning)) is missing or empty")
        }
        return text
    }

    /// A list of strings, or one string of names separated by spaces or commas (`scope`).
    /// A missing claim is no roles.
    private func roles(in payload: BSONDocument) throws(GatewayError) -> [String] {
        switch roles.value(in: payload) {
        case nil, .null?:
            return []
        case .string(let text)?:
            return text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        case .array(let values)?:
            var result: [String] = []
            for value in values {
                guard case .string(let role) = value else {
                    throw GatewayError(.unauthorized, "token claim \"\(roles)\" (the roles) must hold strings")
                }
                result.append(role)
            }
            return result
        default:
            throw GatewayError(.unauthorized, "token claim \"\(roles)\" (the roles) must be a list or a string")
        }
    }
}
