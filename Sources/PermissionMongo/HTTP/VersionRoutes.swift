import Hummingbird
import PMBSON

/// `GET /{collection}/{id}/versions` and `POST /{collection}/{id}/versions/{n}/restore`.
struct VersionRoutes {
    let gateway: Gateway

    /// Each request is handled by the gateway in force when it started (`LiveGateway`).
    static func register(on router: Router<GatewayRequestContext>, _ live: LiveGateway) {
        router.get("{collection}/{id}/versions") { request, context in try await Self(gateway: live.current).list(request, context) }
        router.post("{collection}/{id}/versions/{n}/restore") { request, context in try await Self(gateway: live.current).restore(request, context) }
    }

    private func list(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        let collection = try gateway.collection(named: context.parameters.require("collection"))
        let permission = try gateway.permission(caller, .read, on: collection)
        guard case .ids(let ids) = try ChangeRoutes.single(context), let id = ids.first else {
            throw GatewayError(.notFound, "document not found")
        }
        let versions = try await ReadVersions(
            gateway: gateway, collection: collection, permission: permission, caller: caller
        ).list(id: id)
        return JSONResponse.make(
            .ok, BSONDocument(["data": .array(versions.map(BSON.document)), "count": .int64(Int64(versions.count))]))
    }

    private func restore(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await gateway.authenticate(request, context)
        let collection = try gateway.collection(named: context.parameters.require("collection"))
        guard case .ids(let ids) = try ChangeRoutes.single(context), let id = ids.first,
              let number = Int64(try context.parameters.require("n")), number >= 1
        else { throw GatewayError(.notFound, "version not found") }
        let quota = gateway.documentQuota(for: caller, context)
        return try await IdempotentWrites(gateway: gateway).respond(request, caller: caller, body: nil) { transaction in
            try quota?.take(1)
            var restore = RestoreVersion(gateway: gateway, collection: collection, caller: caller)
            restore.transaction = transaction
            let restored = try await restore.run(id: id, number: number)
            return .json(.ok, gateway.visibility(caller, on: collection).redacted(restored))
        }
    }
}
