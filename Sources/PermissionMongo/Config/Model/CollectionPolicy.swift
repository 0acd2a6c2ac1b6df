import PMPolicy

/// `policies.<collection>:` — the roles of one collection, with `inherits` resolved.
public struct CollectionPolicy: Sendable {
    public let collection: String
    /// As written, keyed by role name.
    public let roles: [String: RolePolicy]
    /// Per role and action: the grants that role has, its own first, then inherited ones.
    private let grantsByRole: [String: [Action: [Grant]]]
    /// Whether some role has `deny_read`: without it, reads never look at grants for hiding.
    public let hidesFields: Bool

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
                        Grant(
                            role: reached.role, when: policy.when, denyWrite: reached.denyWrite,
                            denyRead: reached.denyRead))
                }
            }
            table[name] = byAction
        }
        grantsByRole = table
        hidesFields = roles.values.contains { !$0.denyRead.isEmpty }
    }

    /// Every grant the caller's `roles` give, of any action.
    public func allGrants(roles callerRoles: [String]) -> [Grant] {
        Action.allCases.flatMap { grants(roles: callerRoles, action: $0) }
    }

    /// Every grant of `action` that the caller's `roles` give, each with the `when` of
    /// the role that declared it; empty: the caller may not do `action` at all (403).
    /// Unknown role names are ignored.
    public func grants(roles callerRoles: [String], action: Action) -> [Grant] {
        var result: [Grant] = []
        for role in callerRoles {
            guard let grants = grantsByRole[role]?[action] else { continue }
            for grant in grants where !result.contains(where: { $0.isSame(as: grant) }) {
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

/// `policies.<collection>.<role>:` — what one role may do, as written.
public struct RolePolicy: Sendable {
    public var actions: Set<Action>
    /// Condition on the document (and caller); `nil`: always.
    public var when: PolicyExpression?
    /// Roles whose grants this role also has, each with its own `when`.
    public var inherits: [String]
    /// Fields an update by this role may not set or unset (403).
    public var denyWrite: [String]
    /// Fields removed from the documents this role lets the caller read (docs/API.md,
    /// "Field-level read rules").
    public var denyRead: [String]

    public init(
        actions: Set<Action>, when: PolicyExpression? = nil, inherits: [String] = [], denyWrite: [String] = [],
        denyRead: [String] = []
    ) {
        self.actions = actions
        self.when = when
        self.inherits = inherits
        self.denyWrite = denyWrite
        self.denyRead = denyRead
    }
}

/// One way a caller may perform an action: through `role`, which declared the
/// action, under that role's own `when`.
public struct Grant: Sendable {
    /// The role whose `actions` contain the action (the caller's own role or one it inherits).
    public var role: String
    /// `nil`: no condition.
    public var when: PolicyExpression?
    /// Fields an update through this grant may not set or unset: the `deny_write` of
    /// `role` and of every role on the inheritance path from the caller's role to it. Sorted.
    public var denyWrite: [String]
    /// Fields hidden from documents read through this grant: the `deny_read` of `role`
    /// and of every role on the inheritance path, as for `denyWrite`. Sorted.
    public var denyRead: [String]

    public init(role: String, when: PolicyExpression?, denyWrite: [String] = [], denyRead: [String] = []) {
        self.role = role
        self.when = when
        self.denyWrite = denyWrite
        self.denyRead = denyRead
    }

    /// The same role reached with the same restrictions (listed once).
    func isSame(as other: Grant) -> Bool {
        role == other.role && denyWrite == other.denyWrite && denyRead == other.denyRead
    }
}

/// What a role may do on a collection (`actions:`).
public enum Action: String, Sendable, Hashable, CaseIterable {
    case create, read, update, delete, restore
}
