import Hummingbird
import PMBSON

/// `GET /_collections`: the collections the caller may act on, with its actions on each,
/// the schema, versioning and soft delete — what a client or tool (the MCP server's
/// `describe_collections`) needs to build valid requests. Collections where the caller
/// has no action are left out.
struct CollectionRoutes {
    let gateway: Gateway

    /// Each request is handled by the gateway in force when it started (`LiveGateway`).
    static func register(on router: Router<GatewayRequestContext>, _ live: LiveGateway) {
        router.get("_collections") { request, _ in try await Self(gateway: live.current).list(request) }
    }

    private func list(_ request: Request) async throws -> Response {
        let caller = try await gateway.authenticate(request)
        var described: [BSON] = []
        for (name, actions) in gateway.config.collections(reachableBy: caller) {
            guard let collection = gateway.config.collections[name] else { continue }
            var versioning = BSONDocument([
                "enabled": .bool(collection.versioning.enabled), "mode": .string(collection.versioning.mode.rawValue),
            ])
            if let max = collection.versioning.maxVersions { versioning.append("max_versions", .int64(Int64(max))) }
            if let days = collection.versioning.retentionDays { versioning.append("retention_days", .int64(Int64(days))) }
            described.append(.document(BSONDocument([
                "name": .string(name),
                "actions": .array(actions.map { .string($0.rawValue) }),
                "soft_delete": .bool(collection.softDelete),
                "versioning": .document(versioning),
                "schema": .document(collection.schema.root.describe()),
            ])))
        }
        return JSONResponse.make(.ok, BSONDocument(["data": .array(described), "count": .int64(Int64(described.count))]))
    }
}
