/// `server:` — HTTP listener and request limits.
public struct ServerSettings: Sendable, Equatable {
    public static let defaultListenHost = "127.0.0.1"
    public static let defaultListenPort = 8080
    /// At least this many hook calls may be in flight (docs/API.md, "server").
    public static let minimumHookConcurrency = 8
    public static let defaultMaxRegexLength = 512
    public static let defaultShutdownGraceMs = 25_000
    public static let defaultMaxAtomicMatch = 10_000

    /// Documents, ids or operations per batch (`max_batch_size`); also the chunk in which an
    /// update or delete by filter writes what it selects.
    public var maxBatchSize: Int
    /// Most documents a filter may select for one transaction: `?atomic=true`, or a request
    /// with an `Idempotency-Key` (`max_atomic_match`).
    public var maxAtomicMatch = ServerSettings.defaultMaxAtomicMatch
    /// Larger request bodies get 413 (`max_body_bytes`).
    public var maxBodyBytes: Int
    /// Pre-hook calls in flight at once, and post-hook deliveries in flight at once
    /// (`hook_concurrency`), at least 8.
    public var hookConcurrency: Int
    /// Retries of post-hook deliveries (`hook_max_attempts`, `hook_retry_initial_ms`, `hook_retry_max_ms`).
    public var hookDelivery = HookDeliverySettings()
    /// How long an `Idempotency-Key`'s answer is kept (`idempotency_ttl_hours`).
    public var idempotencyTTLHours = 24
    /// Longest `$regex` pattern a filter may carry, in characters (`max_regex_length`).
    public var maxRegexLength = ServerSettings.defaultMaxRegexLength
    /// Requests of one tenant running at once (`tenant_max_in_flight`); nil: half of
    /// `database.pool_size`; 0: no limit. See `tenantMaxInFlight(poolSize:)`.
    public var tenantMaxInFlight: Int?
    /// After SIGTERM/SIGINT, how long requests in flight may still run before they are
    /// answered 503 and the process exits (`shutdown_grace_ms`; docs/API.md, "server").
    public var shutdownGraceMs = ServerSettings.defaultShutdownGraceMs
    /// Token buckets per tenant (documents) and per user (requests) (`rate_limits`).
    public var rateLimits = RateLimitSettings()
    /// Header, body and idle timeouts and the cap on open connections.
    public var connections = ConnectionSettings()
    /// The bearer token `GET /metrics` requires (`metrics_token`); nil: none.
    public var metricsToken: String?
    /// Who may fetch `GET /openapi.json` (`openapi`).
    public var openAPI = OpenAPIAccess.authenticated
    public var listenHost: String
    public var listenPort: Int

    public init(
        maxBatchSize: Int = 1000,
        maxBodyBytes: Int = 16 * 1024 * 1024,
        hookConcurrency: Int = 16,
        listenHost: String = ServerSettings.defaultListenHost,
        listenPort: Int = ServerSettings.defaultListenPort
    ) {
        self.maxBatchSize = maxBatchSize
        self.maxBodyBytes = maxBodyBytes
        self.hookConcurrency = hookConcurrency
        self.listenHost = listenHost
        self.listenPort = listenPort
    }

    /// The limit on one tenant's requests in flight for a MongoDB pool of `poolSize`
    /// connections: the configured one, else half the pool (at least 1); 0 means none.
    public func tenantMaxInFlight(poolSize: Int) -> Int {
        tenantMaxInFlight ?? max(1, poolSize / 2)
    }
}

/// How post-hook deliveries are retried (`server.hook_max_attempts`,
/// `server.hook_retry_initial_ms`, `server.hook_retry_max_ms`), when an endpoint's circuit
/// opens (`server.hook_breaker_failures`, `server.hook_breaker_open_ms`) and how long
/// settled records are kept (`server.hook_retention_days`).
public struct HookDeliverySettings: Sendable, Equatable {
    /// Attempts before a delivery is marked dead (the first one included).
    public var maxAttempts: Int
    /// Wait before the second attempt; doubles with every failure …
    public var initialBackoffMs: Int
    /// … up to this.
    public var maxBackoffMs: Int
    /// Consecutive failed deliveries to one endpoint that open its circuit.
    public var breakerFailures: Int
    /// How long an open endpoint gets no deliveries before one probe call.
    public var breakerOpenMs: Int
    /// Delivered and dead records are removed this many days after they settled.
    public var retentionDays: Int

    public init(
        maxAttempts: Int = 12, initialBackoffMs: Int = 1000, maxBackoffMs: Int = 300_000, breakerFailures: Int = 5,
        breakerOpenMs: Int = 30_000, retentionDays: Int = 7
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoffMs = initialBackoffMs
        self.maxBackoffMs = maxBackoffMs
        self.breakerFailures = breakerFailures
        self.breakerOpenMs = breakerOpenMs
        self.retentionDays = retentionDays
    }
}
