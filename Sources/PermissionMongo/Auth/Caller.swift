import PMPolicy

/// The authenticated user a request acts for, as read from its verified JWT: the same
/// value the policy language calls `user` (`user.id`, `user.tenant_id`, `user.roles`,
/// `user.claims.*`).
public typealias Caller = PolicyUser
