import Hummingbird
import Logging
import PMBSON

/// Everything a request needs, built from one configuration: the configuration, the token
/// verifier and the store. Shared by all requests; immutable. A reload builds another
/// (`reconfigured`) and `LiveGateway` hands it to the requests that start after.
public struct Gateway: Sendable {
    public let config: GatewayConfig
    let verifier: TokenVerifier
    let store: DocumentStore
    /// Pre-hook calls, post-hook outbox and their metrics.
    let hooks: GatewayHooks
    /// What `GET /metrics` serves, the same for every configuration.
    let metrics: GatewayMetrics
    /// `server.metrics_token`; nil when `/metrics` is open.
    let metricsToken: MetricsToken?
    let logger: Logger
    /// Created on the first link, so a gateway that never links needs no such index.
    let relationshipIndex: RelationshipIndex
    /// Changes of the same documents in this process write one after the other.
    let documentTurns: DocumentTurns
    /// The answers of requests sent with an `Idempotency-Key`.
    let idempotency: IdempotencyRecords
    /// `server.rate_limits`; nil when nothing is limited.
    let rateLimiter: RateLimiter?
    /// `server.tenant_max_in_flight`; nil when 0.
    let tenantShares: TenantShares?

    init(
        config: GatewayConfig, store: DocumentStore, hooks: GatewayHooks, metrics: GatewayMetrics, logger: Logger
    ) async throws {
        self.init(
            config: config, verifier: try await TokenVerifier(settings: config.auth, logger: logger), store: store,
            hooks: hooks, metrics: metrics, logger: logger, relationshipIndex: RelationshipIndex(),
            documentTurns: DocumentTurns(), idempotency: Self.idempotency(config, store),
            rateLimiter: RateLimiter(config.server.rateLimits, registry: metrics.registry),
            tenantShares: Self.tenantShares(config))
    }

    /// This gateway with `config` in force (a reload; `RestartOnlySettings` were kept): the
    /// same store, hook callers, outbox, metrics and document turns; the token verifier (its cache and key
    /// set), the rate limiter (its buckets) and the tenant shares (their counts) kept where
    /// their settings did not change, else new.
    func reconfigured(_ config: GatewayConfig) async throws -> Gateway {
        let verifier = config.auth == self.config.auth
            ? self.verifier : try await TokenVerifier(settings: config.auth, logger: logger)
        let rateLimiter = config.server.rateLimits == self.config.server.rateLimits
            ? self.rateLimiter : RateLimiter(config.server.rateLimits, registry: metrics.registry)
        let tenantShares = config.server.tenantMaxInFlight == self.config.server.tenantMaxInFlight
            ? self.tenantShares : Self.tenantShares(config)
        return Gateway(
            config: config, verifier: verifier, store: store, hooks: hooks.reconfigured(config), metrics: metrics,
            logger: logger, relationshipIndex: relationshipIndex, documentTurns: documentTurns,
            idempotency: Self.idempotency(config, store),
            rateLimiter: rateLimiter, tenantShares: tenantShares)
    }

    private init(
        config: GatewayConfig, verifier: TokenVerifier, store: DocumentStore, hooks: GatewayHooks,
        metrics: GatewayMetrics, logger: Logger, relationshipIndex: RelationshipIndex, documentTurns: DocumentTurns,
        idempotency: IdempotencyRecords,
        rateLimiter: RateLimiter?, tenantShares: TenantShares?
    ) {
        self.config = config
        self.verifier = verifier
        self.store = store
        self.hooks = hooks
        self.metrics = metrics
        metricsToken = config.server.metricsToken.map(MetricsToken.init)
        self.logger = logger
        self.relationshipIndex = relationshipIndex
        self.documentTurns = documentTurns
        self.idempotency = idempotency
        self.rateLimiter = rateLimiter
        self.tenantShares = tenantShares
    }

    private static func idempotency(_ config: GatewayConfig, _ store: DocumentStore) -> IdempotencyRecords {
        IdempotencyRecords(store: store, ttl: .seconds(config.server.idempotencyTTLHours * 3600))
    }

    private static func tenantShares(_ config: GatewayConfig) -> TenantShares? {
        let limit = config.server.tenantMaxInFlight(poolSize: config.database.poolSize)
        return limit > 0 ? TenantShares(limit: limit) : nil
    }

    var limits: ServerSettings { config.server }

    /// 401 unless the request carries a valid bearer token; 503 `auth_unavailable` when its
    /// key cannot be fetched.
    func authenticate(_ request: Request) async throws -> Caller {
        try await verifier.caller(authorization: request.headers[.authorization])
    }

    /// Not found for a collection that is not configured.
    func collection(named name: String) throws -> CollectionConfig {
        guard let collection = config.collections[name] else { throw DomainError.unknownCollection(name) }
        return collection
    }

    func permission(_ caller: Caller, _ action: Action, on collection: CollectionConfig) throws -> Permission {
        try Permission(
            caller: caller, action: action, collection: collection.name,
            policy: config.policies[collection.name])
    }
}
