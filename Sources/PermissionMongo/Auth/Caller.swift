import PMBSON
import PMPolicy

/// The authenticated user a request acts for, as read from its verified JWT.
public struct Caller: Sendable {
    public var id: String
    public var tenantId: String
    public var roles: [String]
    /// Every claim of the token, for `user.claims.<name>` in policies.
    public var claims: BSONDocument

    public init(id: String, tenantId: String, roles: [String], claims: BSONDocument = BSONDocument()) {
        self.id = id
        self.tenantId = tenantId
        self.roles = roles
        self.claims = claims
    }

    public var policyUser: PolicyUser {
        PolicyUser(id: id, tenantId: tenantId, roles: roles, claims: claims)
    }
}
