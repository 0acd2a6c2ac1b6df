/// `policies.<collection>:` — the roles of one collection, with `inherits` resolved.
public struct CollectionPolicy: Sendable {
    public let collection: String
    /// As written, keyed by role name.
    public let roles: [String: RolePolicy]
    /// Per role and action: the grants that role has, its own first, then inherited ones.
    private let grantsByRole: [String: [Action: [Grant]]]

    /// `roles` should have passed `RoleInheritance.problems` (unknown roles and cycles are skipped here).
    public init(collection: String, roles: [String: RolePolicy]) {
        self.collection = collection
        self.roles = roles
        var table: [String: [Action: [Grant]]] = [:]
        for name in roles.keys {
            var byAction: [Action: [Grant]] = [:]
            for reached in RoleInheritance.expand(name, in: roles) {
                guard let policy = roles[reached.role] else { continue }
                for action in policy.actions {
                    byAction[action, default: []].append(
                        Grant(role: reached.role, when: policy.when, denyWrite: reached.denyWrite))
                }
            }
            table[name] = byAction
        }
        grantsByRole = table
    }

    /// Every grant of `action` that the caller's `roles` give, each with the `when` of
    /// the role that declared it; empty: the caller may not do `action` at all (403).
    /// Unknown role names are ignored.
    public func grants(roles callerRoles: [String], action: Action) -> [Grant] {
        var result: [Grant] = []
        for role in callerRoles {
            guard let grants = grantsByRole[role]?[action] else { continue }
            for grant in grants where !result.contains(where: { $0.role == grant.role && $0.denyWrite == grant.denyWrite }) {
                result.append(grant)
            }
        }
        return result
    }

    /// Whether any of the caller's roles has `action` (whatever its `when`).
    public func allows(roles callerRoles: [String], action: Action) -> Bool {
        callerRoles.contains { grantsByRole[$0]?[action]?.isEmpty == false }
    }
}
