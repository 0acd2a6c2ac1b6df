import Hummingbird
import Logging
import PMBSON

/// Everything a request needs, built once at start-up: the configuration, the token
/// verifier and the store. Shared by all requests; immutable.
public struct Gateway: Sendable {
    public let config: GatewayConfig
    let verifier: TokenVerifier
    let store: DocumentStore
    /// Pre-hook calls, post-hook outbox and metrics.
    let hooks: GatewayHooks
    let logger: Logger
    /// Created on the first link, so a gateway that never links needs no such index.
    let relationshipIndex = RelationshipIndex()
    /// The answers of requests sent with an `Idempotency-Key`.
    let idempotency: IdempotencyRecords
    /// `server.rate_limits`; nil when nothing is limited.
    let rateLimiter: RateLimiter?
    /// `server.tenant_max_in_flight`; nil when 0.
    let tenantShares: TenantShares?

    init(config: GatewayConfig, store: DocumentStore, hooks: GatewayHooks, logger: Logger) async throws {
        self.config = config
        self.store = store
        self.hooks = hooks
        self.logger = logger
        idempotency = IdempotencyRecords(store: store, ttl: .seconds(config.server.idempotencyTTLHours * 3600))
        rateLimiter = RateLimiter(config.server.rateLimits, registry: hooks.metrics.registry)
        let tenantLimit = config.server.tenantMaxInFlight(poolSize: config.database.poolSize)
        tenantShares = tenantLimit > 0 ? TenantShares(limit: tenantLimit) : nil
        verifier = try await TokenVerifier(settings: config.auth, logger: logger)
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
