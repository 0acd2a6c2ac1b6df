/// What an OpenAPI document describes: every collection, action and route, or only what one
/// caller may use.
struct OpenAPIAudience: Sendable {
    /// The collections described, by name, each with the actions described on it (in
    /// `Action.allCases` order).
    var collections: [(name: String, actions: [Action])]
    /// Whether the `/_hooks` routes are described.
    var hookRoutes: Bool
    /// Whether the document is one caller's (said in its description).
    var isCallers: Bool

    /// Every configured collection with every action, and the `/_hooks` routes: the document of
    /// `server.openapi: public` and of `permission-mongo openapi`.
    static func everyone(_ config: GatewayConfig) -> OpenAPIAudience {
        OpenAPIAudience(
            collections: config.collections.keys.sorted().map { ($0, Action.allCases) }, hookRoutes: true, isCallers: false)
    }

    /// What `caller` may use, as `GET /_collections` decides it: the collections where some
    /// role of the caller has an action, with those actions; `/_hooks` with an admin role.
    static func caller(_ caller: Caller, _ config: GatewayConfig) -> OpenAPIAudience {
        OpenAPIAudience(
            collections: config.collections(reachableBy: caller), hookRoutes: config.isAdmin(caller), isCallers: true)
    }
}
