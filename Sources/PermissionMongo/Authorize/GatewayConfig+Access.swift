/// What a caller may reach, whatever the documents: the actions `GET /_collections` lists and
/// the caller's OpenAPI document describes, and the `/_hooks` routes.
extension GatewayConfig {
    /// The actions some role of `caller` has on `collection` (whatever their `when`), in
    /// `Action.allCases` order; empty for a collection without policies.
    func actions(of caller: Caller, on collection: String) -> [Action] {
        guard let policy = policies[collection] else { return [] }
        return Action.allCases.filter { policy.allows(roles: caller.roles, action: $0) }
    }

    /// The collections where some role of `caller` has an action, by name, each with those actions.
    func collections(reachableBy caller: Caller) -> [(name: String, actions: [Action])] {
        collections.keys.sorted().compactMap { name in
            let actions = actions(of: caller, on: name)
            return actions.isEmpty ? nil : (name, actions)
        }
    }

    /// Whether `caller` has one of `auth.admin_roles`, which the `/_hooks` routes need.
    func isAdmin(_ caller: Caller) -> Bool {
        caller.roles.contains(where: auth.adminRoles.contains)
    }
}
