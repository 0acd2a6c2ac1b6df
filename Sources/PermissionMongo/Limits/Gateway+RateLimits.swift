import Hummingbird

extension Gateway {
    /// The caller of `request` (401 without a valid token), counted as one request of its
    /// user (429 over `per_user`), once one of its tenant's places is free
    /// (`server.tenant_max_in_flight`). Every authenticated route starts here.
    func authenticate(_ request: Request, _ context: GatewayRequestContext) async throws -> Caller {
        let caller = try await authenticate(request)
        try rateLimiter?.admitRequest(of: caller, noting: context.rateLimits)
        if let tenantShares, let ticket = context.tenantShare {
            await ticket.enter(tenantShares, tenant: caller.tenantId)
        }
        return caller
    }

    /// What `caller`'s tenant may still write under `per_tenant`; nil when it is not set.
    func documentQuota(for caller: Caller, _ context: GatewayRequestContext) -> DocumentQuota? {
        guard let rateLimiter, rateLimiter.tenants != nil else { return nil }
        return DocumentQuota(limiter: rateLimiter, tenantId: caller.tenantId, request: context.rateLimits)
    }
}
