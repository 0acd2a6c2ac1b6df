/// The `per_tenant` limit as one request sees it: `take(n)` before writing n documents,
/// which throws 429 `rate_limited` when the tenant's bucket does not hold them. Given to
/// the operations by the routes that write documents; nil when no `per_tenant` is set.
struct DocumentQuota: Sendable {
    let limiter: RateLimiter
    let tenantId: String
    let request: RequestRateLimits?

    func take(_ count: Int) throws {
        try limiter.admitDocuments(count, tenant: tenantId, noting: request)
    }
}
