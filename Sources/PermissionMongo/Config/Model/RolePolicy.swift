import PMPolicy

/// `policies.<collection>.<role>:` — what one role may do, as written.
public struct RolePolicy: Sendable {
    public var actions: Set<Action>
    /// Condition on the document (and caller); `nil`: always.
    public var when: PolicyExpression?
    /// Roles whose grants this role also has, each with its own `when`.
    public var inherits: [String]
    /// Fields an update by this role may not set or unset (403).
    public var denyWrite: [String]

    public init(actions: Set<Action>, when: PolicyExpression? = nil, inherits: [String] = [], denyWrite: [String] = []) {
        self.actions = actions
        self.when = when
        self.inherits = inherits
        self.denyWrite = denyWrite
    }
}
