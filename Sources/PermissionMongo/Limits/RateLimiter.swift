import PMBSON
import Prometheus

/// The gateway's rate limits (docs/API.md, "Rate limits"), kept in this process only:
/// `per_tenant` counts the documents a tenant's requests create, update or delete, charged
/// before any of them is written; `per_user` counts a user's authenticated requests. Over
/// a limit a request is refused with 429 `rate_limited` and takes no tokens.
final class RateLimiter: Sendable {
    let tenants: TokenBucketTable?
    let users: TokenBucketTable?
    private let metrics: RateLimitMetrics

    /// nil when `settings` limit nothing.
    init?(
        _ settings: RateLimitSettings, registry: PrometheusCollectorRegistry,
        clock: @escaping TokenBucketTable.Clock = TokenBucketTable.monotonicClock
    ) {
        guard !settings.isEmpty else { return nil }
        tenants = settings.perTenant.map { TokenBucketTable($0, clock: clock) }
        users = settings.perUser.map { TokenBucketTable($0, clock: clock) }
        metrics = RateLimitMetrics(registry: registry)
    }

    /// One request of `caller`.
    func admitRequest(of caller: Caller, noting request: RequestRateLimits?) throws {
        guard let users else { return }
        // A user id is unique within its tenant only.
        let decision = users.take(1, key: caller.tenantId + "\u{0}" + caller.id)
        request?.note(decision, scope: .user)
        try settle(decision, scope: .user, count: 1, table: users)
    }

    /// `count` documents written for `tenantId`.
    func admitDocuments(_ count: Int, tenant tenantId: String, noting request: RequestRateLimits?) throws {
        guard let tenants, count > 0 else { return }
        let decision = tenants.take(count, key: tenantId)
        request?.note(decision, scope: .tenant)
        try settle(decision, scope: .tenant, count: count, table: tenants)
    }

    private func settle(_ decision: RateLimitDecision, scope: RateLimitScope, count: Int, table: TokenBucketTable) throws {
        let what = scope == .tenant ? "documents" : "requests"
        let rate = "\(Self.format(table.perSecond)) \(what) a second with a burst of \(table.burst) per \(scope.rawValue)"
        var details = BSONDocument([
            "scope": .string(scope.rawValue), "limit": .int64(Int64(table.burst)), "requested": .int64(Int64(count)),
        ])
        switch decision.outcome {
        case .allowed:
            return
        case .refused(let retryAfter):
            metrics.recordRefusal(scope)
            details.append("retry_after", .int64(Int64(retryAfter)))
            throw DomainError.rateLimited(
                "rate limit exceeded (\(rate)): retry after \(retryAfter) s", retryAfter: retryAfter, details: details)
        case .neverFits:
            metrics.recordRefusal(scope)
            throw DomainError.rateLimited(
                "this request writes \(count) \(what), more than the rate limit allows at once (\(rate)): "
                    + "it can never fit, split it into smaller batches",
                retryAfter: nil, details: details)
        }
    }

    /// `2` rather than `2.0`; `0.5` as it is.
    private static func format(_ rate: Double) -> String {
        rate == rate.rounded() && abs(rate) < 1e15 ? String(Int(rate)) : String(rate)
    }
}
