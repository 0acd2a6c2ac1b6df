import PMPolicy

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

    public init(role: String, when: PolicyExpression?, denyWrite: [String] = []) {
        self.role = role
        self.when = when
        self.denyWrite = denyWrite
    }
}
