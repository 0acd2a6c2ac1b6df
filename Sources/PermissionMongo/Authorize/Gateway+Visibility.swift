extension Gateway {
    /// What of `collection`'s documents `caller` may not see (`deny_read`), for every
    /// route that answers with documents or takes a filter (docs/API.md, "Field-level read rules").
    func visibility(_ caller: Caller, on collection: CollectionConfig) -> ReadVisibility {
        guard let policy = config.policies[collection.name], policy.hidesFields else { return .nothingHidden }
        let readGrants = policy.grants(roles: caller.roles, action: .read)
        return ReadVisibility(
            readGrants: readGrants, otherGrants: readGrants.isEmpty ? policy.allGrants(roles: caller.roles) : [],
            user: caller)
    }
}
