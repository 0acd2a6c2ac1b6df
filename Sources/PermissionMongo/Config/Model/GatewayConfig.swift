/// The whole, validated configuration of the gateway (docs/API.md, "Configuration").
public struct GatewayConfig: Sendable {
    public var server: ServerSettings
    public var database: DatabaseSettings
    public var auth: AuthSettings
    /// Keyed by collection name. A collection not in here does not exist (404).
    public var collections: [String: CollectionConfig]
    /// Keyed by collection name; every key is also a key of `collections`.
    public var policies: [String: CollectionPolicy]
    /// Keyed by collection name; every key is also a key of `collections`.
    public var hooks: [String: CollectionHooks]

    public init(
        server: ServerSettings,
        database: DatabaseSettings,
        auth: AuthSettings,
        collections: [String: CollectionConfig],
        policies: [String: CollectionPolicy],
        hooks: [String: CollectionHooks]
    ) {
        self.server = server
        self.database = database
        self.auth = auth
        self.collections = collections
        self.policies = policies
        self.hooks = hooks
    }
}
