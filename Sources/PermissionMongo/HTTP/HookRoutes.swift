import Hummingbird
import PMBSON

/// `/_hooks`: the post-hook deliveries of the caller's own tenant, for callers with one of
/// `auth.admin_roles` (401 token, 403 role, then 415/413/400 body and query, 404/409).
struct HookRoutes {
    let gateway: Gateway

    /// Each request is handled by the gateway in force when it started (`LiveGateway`).
    static func register(on router: Router<GatewayRequestContext>, _ live: LiveGateway) {
        router.get("_hooks/deliveries") { request, _ in try await Self(gateway: live.current).list(request) }
        router.post("_hooks/deliveries/retry") { request, _ in try await Self(gateway: live.current).retryMatching(request) }
        router.post("_hooks/deliveries/{id}/retry") { request, context in try await Self(gateway: live.current).retryOne(request, context) }
    }

    private func list(_ request: Request) async throws -> Response {
        let caller = try await admin(request)
        let query = QueryFlags.parameters(request)
        let filter = try DeliveryFilter(query: query)
        let paging = try ListDeliveries.paging(query, maxLimit: gateway.limits.maxBatchSize)
        let page = try await ListDeliveries(gateway: gateway, caller: caller)
            .page(filter, after: paging.after, limit: paging.limit)
        return JSONResponse.make(.ok, BSONDocument([
            "data": .array(page.records.map(BSON.document)), "next": page.next.map { .string($0.hex) } ?? .null,
        ]))
    }

    private func retryOne(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let caller = try await admin(request)
        let record = try await ReplayDeliveries(gateway: gateway, caller: caller)
            .one(id: context.parameters.require("id"))
        return JSONResponse.make(.accepted, record)
    }

    private func retryMatching(_ request: Request) async throws -> Response {
        let caller = try await admin(request)
        let filter = try DeliveryFilter(body: try await JSONBody.read(request, maxBytes: gateway.limits.maxBodyBytes))
        let scheduled = try await ReplayDeliveries(gateway: gateway, caller: caller).matching(filter)
        return JSONResponse.make(.accepted, BSONDocument(["scheduled": .int64(Int64(scheduled))]))
    }

    /// The caller, when it has one of `auth.admin_roles`; 403 otherwise.
    private func admin(_ request: Request) async throws -> Caller {
        let caller = try await gateway.authenticate(request)
        guard gateway.config.isAdmin(caller) else {
            let admins = gateway.config.auth.adminRoles
            throw DomainError.forbidden("the /_hooks routes need one of the roles: \(admins.joined(separator: ", "))")
        }
        return caller
    }
}
