import Hummingbird
import Logging
import PMBSON
import PMMongo

/// Everything a request needs, built once at start-up: the configuration, the token
/// verifier and the store. Shared by all requests; immutable.
public struct Gateway: Sendable {
    public let config: GatewayConfig
    let verifier: TokenVerifier
    private(set) var store: DocumentStore
    /// Pre-hook calls, post-hook outbox and metrics (issue 4).
    let hooks: GatewayHooks
    let logger: Logger
    /// Created on the first link, so a gateway that never links needs no such index.
    let relationshipIndex = RelationshipIndex()

    init(config: GatewayConfig, store: DocumentStore, hooks: GatewayHooks, logger: Logger) async {
        self.config = config
        self.store = store
        self.hooks = hooks
        self.logger = logger
        verifier = await TokenVerifier(secret: config.auth.jwtSecret)
    }

    var limits: ServerSettings { config.server }

    /// The same gateway with every read and write in `transaction` (atomic mixed batches).
    func within(_ transaction: OpenTransaction) -> Gateway {
        var bound = self
        bound.store = store.within(transaction)
        return bound
    }

    /// 401 unless the request carries a valid bearer token (§3).
    func authenticate(_ request: Request) async throws -> Caller {
        try await verifier.caller(authorization: request.headers[.authorization])
    }

    /// 404 for a collection that is not configured (§2).
    func collection(named name: String) throws -> CollectionConfig {
        guard let collection = config.collections[name] else { throw GatewayError.unknownCollection(name) }
        return collection
    }

    func permission(_ caller: Caller, _ action: Action, on collection: CollectionConfig) throws -> Permission {
        try Permission(
            caller: caller, action: action, collection: collection.name,
            policy: config.policies[collection.name])
    }
}
