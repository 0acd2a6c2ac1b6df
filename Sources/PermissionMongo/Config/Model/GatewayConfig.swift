import PMMongo
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

/// `database:` — how to reach MongoDB.
public struct DatabaseSettings: Sendable, Equatable {
    /// `mongodb://` or `mongodb+srv://` connection string (`uri`, or `PM_MONGODB_URI`).
    public var uri: String
    /// Database name (`name`, or `PM_DATABASE`).
    public var name: String
    /// Maximum connections of the libmongoc client pool (`pool_size`).
    public var poolSize: Int
    /// Run transactions one at a time (`serialize_transactions`), for servers with weak transaction support.
    public var serializeTransactions: Bool

    /// For every write and transaction commit (`write_concern`; docs/API.md, "Configuration").
    public var writeConcern: MongoWriteConcern
    /// `maxTimeMS` of every find and count, `maxCommitTimeMS` of every commit (`max_time_ms`).
    public var maxTimeMS: Int
    /// How long a request waits for a reachable backend before 503 (`server_selection_timeout_ms`).
    public var serverSelectionTimeoutMS: Int
    /// How long opening a connection to the backend may take (`connect_timeout_ms`).
    public var connectTimeoutMS: Int
    /// How long a request may retry transient errors, all its operations together
    /// (`retry_budget_ms`; docs/API.md, "database"); 0: never retried.
    public var retryBudgetMS: Int

    public static let defaultMaxTimeMS = 10_000
    public static let defaultServerSelectionTimeoutMS = 3000
    public static let defaultConnectTimeoutMS = 3000
    public static let defaultRetryBudgetMS = 10_000

    public init(
        uri: String, name: String = "app", poolSize: Int = 16, serializeTransactions: Bool = false,
        writeConcern: MongoWriteConcern = .durable, maxTimeMS: Int = DatabaseSettings.defaultMaxTimeMS,
        serverSelectionTimeoutMS: Int = DatabaseSettings.defaultServerSelectionTimeoutMS,
        connectTimeoutMS: Int = DatabaseSettings.defaultConnectTimeoutMS,
        retryBudgetMS: Int = DatabaseSettings.defaultRetryBudgetMS
    ) {
        self.uri = uri
        self.name = name
        self.poolSize = poolSize
        self.serializeTransactions = serializeTransactions
        self.writeConcern = writeConcern
        self.maxTimeMS = maxTimeMS
        self.serverSelectionTimeoutMS = serverSelectionTimeoutMS
        self.connectTimeoutMS = connectTimeoutMS
        self.retryBudgetMS = retryBudgetMS
    }

    /// What the libmongoc pool is given; options in `uri` win over these (docs/API.md).
    var poolOptions: MongoPoolOptions {
        MongoPoolOptions(
            writeConcern: writeConcern, serverSelectionTimeoutMS: serverSelectionTimeoutMS,
            connectTimeoutMS: connectTimeoutMS, maxTimeMS: maxTimeMS, retryBudgetMS: retryBudgetMS)
    }
}

/// `auth:` — how bearer tokens are checked (docs/API.md, "Tokens").
public struct AuthSettings: Sendable, Equatable {
    /// HS256 needs a key of at least this many bytes (jwt-kit refuses shorter ones).
    public static let minimumSecretBytes = 32

    public static let defaultAdminRoles = ["admin"]
    public static let defaultRefreshSeconds = 300
    public static let defaultLeewaySeconds = 30

    /// HS256 signing secret (`auth.jwt.secret`, or `PM_JWT_SECRET`); optional when a key set is given.
    public var jwtSecret: String?
    /// Where the identity provider publishes its keys (`auth.jwt.jwks_url`).
    public var jwksURL: String?
    /// A static key set (`auth.jwt.jwks_file`), read when the configuration is loaded.
    public var jwksFile: JWKSFile?
    /// Seconds between fetches of `jwksURL` (`auth.jwt.jwks_refresh_s`).
    public var jwksRefreshSeconds: Int
    /// `iss` must be one of these (`auth.jwt.issuer`); empty: not checked.
    public var issuers: [String]
    /// `aud` must name one of these (`auth.jwt.audience`); empty: not checked.
    public var audiences: [String]
    /// Clock skew allowed for `exp`, `nbf` and `iat` (`auth.jwt.leeway_s`).
    public var leewaySeconds: Int
    /// Where the user, tenant and roles are read from (`auth.claims`).
    public var claims: ClaimMapping
    /// Callers with one of these roles may inspect and replay their tenant's hook
    /// deliveries (`auth.admin_roles`).
    public var adminRoles: [String]

    public init(
        jwtSecret: String?, jwksURL: String? = nil, jwksFile: JWKSFile? = nil,
        jwksRefreshSeconds: Int = AuthSettings.defaultRefreshSeconds, issuers: [String] = [], audiences: [String] = [],
        leewaySeconds: Int = AuthSettings.defaultLeewaySeconds, claims: ClaimMapping = .default,
        adminRoles: [String] = AuthSettings.defaultAdminRoles
    ) {
        self.jwtSecret = jwtSecret
        self.jwksURL = jwksURL
        self.jwksFile = jwksFile
        self.jwksRefreshSeconds = jwksRefreshSeconds
        self.issuers = issuers
        self.audiences = audiences
        self.leewaySeconds = leewaySeconds
        self.claims = claims
        self.adminRoles = adminRoles
    }
}
